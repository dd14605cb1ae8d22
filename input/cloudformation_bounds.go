package input

import "github.com/ssmpolicy/ssmpolicy/jsonpos"

// Bounds on what resolving a template may produce. A join of references to a parameter whose
// name is itself a join grows with the product of the two lists: a 100 KB template could ask
// for gigabytes. The resolver stops where a value would pass these bounds, and the target gets
// a finding that names the place (see cfnTemplate.target).
const (
	// maxResolved bounds the length of any one value resolved, in bytes: 1 MiB, the largest
	// template CloudFormation accepts (from S3), so no text written in a template is cut,
	// and a thousand times the 1024 bytes PutResourcePolicy takes for a policy. Only
	// references that repeat a value (a join of a join of references) grow past it.
	maxResolved = 1 << 20
	// maxResolvedARN bounds a ResourceArn: the API takes at most 2048 characters, which are
	// at most 8192 bytes, and the ARN cannot be right beyond.
	maxResolvedARN = 4 * 2048
	// maxResolvedWork bounds the bytes produced while resolving one value, copies through
	// references included, so that memory stays within a few tens of megabytes a target
	// (each byte carries the span it came from).
	maxResolvedWork = 4 << 20
)

// respan is mtext.respan counted against the resolver's bounds; over them, the value is
// unknown.
func (r *cfnResolver) respan(m mtext, at jsonpos.Span) mtext {
	if !r.fits(0, len(m.b), at) {
		return unknownText(at)
	}
	return m.respan(at)
}

// grow appends piece to out unless that makes out longer than the resolver's limit or spends
// its work budget; false means the value being resolved is given up.
func (r *cfnResolver) grow(out *mtext, piece mtext, at jsonpos.Span) bool {
	if !r.fits(len(out.b), len(piece.b), at) {
		return false
	}
	out.addText(piece)
	return true
}

// fits counts n more bytes for a value already size bytes long, and tells whether that stays
// within the bounds. The first place that does not is recorded (see bounded). Each piece also
// counts for what holding it costs beyond its bytes, so that a million short pieces are work
// too.
func (r *cfnResolver) fits(size, n int, at jsonpos.Span) bool {
	const pieceCost = 32
	if r.over != nil {
		return false
	}
	r.work += n + pieceCost
	if size+n <= r.limit && r.work <= maxResolvedWork {
		return true
	}
	r.over = &at
	return false
}

// bounded resolves one property's value with at most limit bytes for any one value, and a
// fresh work budget. over is the place where a value grew past the bounds, or nil.
func (r *cfnResolver) bounded(limit int, resolve func()) (over *jsonpos.Span) {
	r.limit, r.work, r.over = limit, 0, nil
	resolve()
	over = r.over
	r.limit, r.work, r.over = maxResolved, 0, nil
	return over
}
