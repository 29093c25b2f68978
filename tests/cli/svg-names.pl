#!/usr/bin/env perl
# tests/cli/svg-names.pl: writes to stdout a small uncompressed profile.proto whose function
# names and label values hold what DOT and SVG must escape: < > & " and backslashes, Go's
# "[...]", C++ "::" and templates, invalid UTF-8 and a Latin-1 byte. Used by svg-test.sh.
use strict;
use warnings;

sub varint {
	my $v = shift;
	my $o = '';
	while ($v >= 0x80) {
		$o .= chr(($v & 0x7f) | 0x80);
		$v >>= 7;
	}
	return $o . chr($v);
}
sub field { my ($n, $bytes) = @_; return varint(($n << 3) | 2) . varint(length $bytes) . $bytes; }
sub number { my ($n, $v) = @_; return varint($n << 3) . varint($v); }

my @strings = ('');
my %ids;
sub sid {
	my $s = shift;
	$ids{$s} //= do { push @strings, $s; $#strings };
}

my @names = ('main.main', 'pkg.(*T[...]).Method<&"quoted">', 'ns::Foo<int>::bar()',
	"bad\xff\xfebytes.fn", 'a\\b.c', 'x>y&z<w', "lat1.caf\xe9");
my $p = field(1, number(1, sid('samples')) . number(2, sid('count')));
my ($functions, $locations) = ('', '');
for my $i (0 .. $#names) {
	$functions .= field(5, number(1, $i + 1) . number(2, sid($names[$i])) .
		number(3, sid($names[$i])) . number(4, sid("src/file$i.c")));
	$locations .= field(4, number(1, $i + 1) . number(3, 0x1000 + $i) .
		field(4, number(1, $i + 1) . number(2, 10 + $i)));
}
my @stacks = ([2, 1], [3, 2, 1], [4, 1], [5, 3, 1], [6, 1], [7, 6, 1], [1]); # leaf first
my $value = 5;
for my $stack (@stacks) {
	my $ids = join '', map { varint($_) } @$stack;
	my $label = field(3, number(1, sid('thread')) . number(2, sid('w<1>&"x"\\')));
	$p .= field(2, field(1, $ids) . field(2, varint($value)) . $label);
	$value += 7;
}
$p .= $functions . $locations;
$p .= field(6, $_) for @strings;
binmode STDOUT;
print $p;
