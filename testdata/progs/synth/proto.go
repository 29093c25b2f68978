package main

// A tiny protocol-buffer encoder for profile.proto
// (github.com/google/pprof/proto/profile.proto), written out by hand.

import "encoding/binary"

const (
	wireVarint = 0
	wireBytes  = 2
)

type encoder struct{ b []byte }

func (e *encoder) varint(x uint64) { e.b = binary.AppendUvarint(e.b, x) }

func (e *encoder) key(field, wire int) { e.varint(uint64(field)<<3 | uint64(wire)) }

// uint64 writes a varint field; zero values are omitted as proto3 does.
func (e *encoder) uint64(field int, x uint64) {
	if x == 0 {
		return
	}
	e.key(field, wireVarint)
	e.varint(x)
}

func (e *encoder) int64(field int, x int64) { e.uint64(field, uint64(x)) }

func (e *encoder) bool(field int, x bool) {
	if x {
		e.uint64(field, 1)
	}
}

func (e *encoder) bytes(field int, b []byte) {
	e.key(field, wireBytes)
	e.varint(uint64(len(b)))
	e.b = append(e.b, b...)
}

// packed writes a repeated varint field, packed or (if unpacked) as one
// key/value pair per element.
func (e *encoder) packed(field int, xs []uint64, unpacked bool) {
	if len(xs) == 0 {
		return
	}
	if unpacked {
		for _, x := range xs {
			e.key(field, wireVarint)
			e.varint(x)
		}
		return
	}
	var inner encoder
	for _, x := range xs {
		inner.varint(x)
	}
	e.bytes(field, inner.b)
}

func (e *encoder) msg(field int, f func(*encoder)) {
	var inner encoder
	f(&inner)
	e.bytes(field, inner.b)
}

// The profile model.

type ValueType struct{ Type, Unit string }

type Label struct {
	Key, Str string
	Num      int64
	NumUnit  string
}

type Sample struct {
	Locs   []uint64
	Values []int64
	Labels []Label
}

type Mapping struct {
	ID, Start, Limit, Offset                                    uint64
	File, BuildID                                               string
	HasFunctions, HasFilenames, HasLineNumbers, HasInlineFrames bool
}

// Line is one frame of a location; the first Line of a Location is the
// innermost (inlined) frame, the last one the caller it was inlined into.
type Line struct {
	Func uint64
	Line int64
}

type Location struct {
	ID, Mapping, Addr uint64
	Lines             []Line
	IsFolded          bool
}

type Function struct {
	ID                     uint64
	Name, SystemName, File string
	StartLine              int64
}

type Profile struct {
	SampleTypes       []ValueType
	Samples           []Sample
	Mappings          []Mapping
	Locations         []Location
	Functions         []Function
	DropFrames        string
	KeepFrames        string
	TimeNanos         int64
	DurationNanos     int64
	PeriodType        *ValueType
	Period            int64
	Comments          []string
	DefaultSampleType string

	// Unpacked writes repeated scalars one element per key (legal, but
	// not what most writers do).
	Unpacked bool
}

type strtab struct {
	index map[string]int64
	list  []string
}

func (s *strtab) id(x string) int64 {
	if s.index == nil {
		s.index = map[string]int64{"": 0}
		s.list = []string{""}
	}
	if i, ok := s.index[x]; ok {
		return i
	}
	i := int64(len(s.list))
	s.index[x] = i
	s.list = append(s.list, x)
	return i
}

// Encode serializes p. Fields are written in field-number order, the
// string table (field 6) after the messages that refer to it.
func (p *Profile) Encode() []byte {
	var st strtab
	st.id("")
	var e encoder
	valueType := func(v ValueType) func(*encoder) {
		t, u := st.id(v.Type), st.id(v.Unit)
		return func(e *encoder) {
			e.int64(1, t)
			e.int64(2, u)
		}
	}
	for _, v := range p.SampleTypes {
		e.msg(1, valueType(v))
	}
	for _, s := range p.Samples {
		s := s
		e.msg(2, func(e *encoder) {
			e.packed(1, s.Locs, p.Unpacked)
			vals := make([]uint64, len(s.Values))
			for i, v := range s.Values {
				vals[i] = uint64(v)
			}
			e.packed(2, vals, p.Unpacked)
			for _, l := range s.Labels {
				l := l
				e.msg(3, func(e *encoder) {
					e.int64(1, st.id(l.Key))
					e.int64(2, st.id(l.Str))
					e.int64(3, l.Num)
					e.int64(4, st.id(l.NumUnit))
				})
			}
		})
	}
	for _, m := range p.Mappings {
		m := m
		e.msg(3, func(e *encoder) {
			e.uint64(1, m.ID)
			e.uint64(2, m.Start)
			e.uint64(3, m.Limit)
			e.uint64(4, m.Offset)
			e.int64(5, st.id(m.File))
			e.int64(6, st.id(m.BuildID))
			e.bool(7, m.HasFunctions)
			e.bool(8, m.HasFilenames)
			e.bool(9, m.HasLineNumbers)
			e.bool(10, m.HasInlineFrames)
		})
	}
	for _, l := range p.Locations {
		l := l
		e.msg(4, func(e *encoder) {
			e.uint64(1, l.ID)
			e.uint64(2, l.Mapping)
			e.uint64(3, l.Addr)
			for _, ln := range l.Lines {
				ln := ln
				e.msg(4, func(e *encoder) {
					e.uint64(1, ln.Func)
					e.int64(2, ln.Line)
				})
			}
			e.bool(5, l.IsFolded)
		})
	}
	for _, f := range p.Functions {
		f := f
		e.msg(5, func(e *encoder) {
			e.uint64(1, f.ID)
			e.int64(2, st.id(f.Name))
			e.int64(3, st.id(f.SystemName))
			e.int64(4, st.id(f.File))
			e.int64(5, f.StartLine)
		})
	}
	drop, keep := st.id(p.DropFrames), st.id(p.KeepFrames)
	var periodType func(*encoder)
	if p.PeriodType != nil {
		periodType = valueType(*p.PeriodType)
	}
	var comments []uint64
	for _, c := range p.Comments {
		comments = append(comments, uint64(st.id(c)))
	}
	def := st.id(p.DefaultSampleType)

	for _, s := range st.list {
		e.bytes(6, []byte(s))
	}
	e.int64(7, drop)
	e.int64(8, keep)
	e.int64(9, p.TimeNanos)
	e.int64(10, p.DurationNanos)
	if periodType != nil {
		e.msg(11, periodType)
	}
	e.int64(12, p.Period)
	e.packed(13, comments, p.Unpacked)
	e.int64(14, def)
	return e.b
}
