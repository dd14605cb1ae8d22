// Package safefile reads the files a check is given or that its inputs name: regular files
// only, opened without blocking (a named pipe would otherwise hang the run), and never more
// than a size limit, which is an error rather than a silent truncation.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Limit is the largest input read: no policy, manifest, template or plan is bigger.
const Limit = 32 << 20

// ErrTooLarge is returned for an input over the limit.
var ErrTooLarge = fmt.Errorf("larger than the %d MiB limit: not a policy, manifest, template or plan", Limit>>20)

// ErrNotRegular is returned for what is not a regular file: a named pipe, a device, a socket.
var ErrNotRegular = errors.New("not a regular file")

// Read reads the regular file at path, at most limit bytes. It never blocks on a named pipe:
// the file is opened non-blocking and refused unless it is a regular file.
func Read(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, limit)
}

// ReadAll reads r to its end, at most limit bytes; more is ErrTooLarge, never a truncation.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		if limit == Limit {
			return nil, ErrTooLarge
		}
		return nil, fmt.Errorf("larger than the limit of %d bytes", limit)
	}
	return b, nil
}

// Regular says, as an error wrapping ErrNotRegular, what info is when it is not a regular
// file; nil for a regular file.
func Regular(info fs.FileInfo) error {
	m := info.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%w: a directory", ErrNotRegular)
	case m&fs.ModeNamedPipe != 0:
		return fmt.Errorf("%w: a named pipe (FIFO), which is not read", ErrNotRegular)
	case m&fs.ModeSocket != 0:
		return fmt.Errorf("%w: a socket, which is not read", ErrNotRegular)
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return fmt.Errorf("%w: a device, which is not read", ErrNotRegular)
	}
	return fmt.Errorf("%w (%s)", ErrNotRegular, m.Type())
}

// Open opens the regular file at path for reading, without blocking on a named pipe; what is
// not a regular file is refused.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil {
		err = Regular(info)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
