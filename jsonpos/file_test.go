package jsonpos

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// naivePos and naiveOffset are the obvious definitions of Pos and Offset, counting runes from
// the start of the line: File must agree with them on every offset, however long the line.
func naivePos(src []byte, offset int) Pos {
	line, start := 1, 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	col := 1 + utf8.RuneCount(src[start:offset])
	if line == 1 && hasBOM(src) && offset >= 3 {
		col--
	}
	return Pos{Line: line, Column: col, Offset: offset}
}

func naiveOffset(src []byte, line, column int) int {
	if line < 1 {
		return 0
	}
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	if line == 1 && hasBOM(src) {
		off = 3
	}
	for c := 1; c < column && off < len(src) && src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}

func TestFilePositionsOnLongLines(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "é", "日本", "😀", "\n", "\r\n", "\xff", "\xe6\x97", strings.Repeat("x", 700)}
	for trial := 0; trial < 30; trial++ {
		var b strings.Builder
		if trial%3 == 0 {
			b.WriteString("\ufeff")
		}
		for b.Len() < 4000 {
			p := pieces[r.IntN(len(pieces))]
			if p == "\n" || p == "\r\n" {
				if r.IntN(4) != 0 {
					continue // mostly long lines
				}
			}
			b.WriteString(p)
		}
		src := []byte(b.String())
		f := NewFile("t", src)
		for off := 0; off <= len(src); off++ {
			if got, want := f.Pos(off), naivePos(src, off); got != want {
				t.Fatalf("trial %d: Pos(%d) = %+v, want %+v", trial, off, got, want)
			}
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for line := 0; line <= lines+1; line++ {
			for col := 0; col < 4100; col += 1 + r.IntN(5) {
				if got, want := f.Offset(line, col), naiveOffset(src, line, col); got != want {
					t.Fatalf("trial %d: Offset(%d, %d) = %d, want %d", trial, line, col, got, want)
				}
			}
		}
	}
}

// oneLineFlow is a YAML flow mapping on one line of about size bytes.
func oneLineFlow(size int) []byte {
	var b bytes.Buffer
	b.WriteString("{Statement: [")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "{Sid: S%d, Effect: Allow, Action: [ssm:GetParameter, \"é\"]}, ", i)
	}
	b.WriteString("{}]}\n")
	return b.Bytes()
}

// BenchmarkYAMLOneLine reads a one-line flow mapping of 64 KB and of 512 KB: time per byte
// stays flat when the reader is linear (it grew with the length of the line before).
func BenchmarkYAMLOneLine(b *testing.B) {
	for _, size := range []int{64 << 10, 512 << 10} {
		src := oneLineFlow(size)
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := ParseYAML(NewFile("f.yaml", src)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func manyKeys(n int, yaml bool) []byte {
	var b bytes.Buffer
	if !yaml {
		b.WriteString("{")
	}
	for i := 0; i < n; i++ {
		if yaml {
			fmt.Fprintf(&b, "k%d: %d\n", i, i)
			continue
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `"k%d": %d`, i, i)
	}
	if !yaml {
		b.WriteString("}")
	}
	return b.Bytes()
}

// BenchmarkManyKeys reads objects of 10,000 and 100,000 keys: time per key stays flat when
// duplicate detection is linear.
func BenchmarkManyKeys(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		js, ys := manyKeys(n, false), manyKeys(n, true)
		b.Run(fmt.Sprintf("json-%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseJSON(js); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("yaml-%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseYAML(NewFile("f.yaml", ys)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
