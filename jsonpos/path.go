package jsonpos

// Path is the place of an element from the root of a document: object keys (string) and array
// indexes (int), as rules write it and Pointer renders it.
type Path []any

// Append returns the path extended by steps. The result never shares its end with p, so that
// paths built from one parent (the members of an object, the items of an array) cannot
// overwrite one another.
func (p Path) Append(steps ...any) Path {
	return append(p[:len(p):len(p)], steps...)
}
