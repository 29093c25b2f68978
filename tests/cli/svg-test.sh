#!/usr/bin/env bash
# tests/cli/svg-test.sh PPROFKIT
#
# `pprofkit svg` (lib/svg.c): for several profiles and flags, the SVG is well-formed XML and
# holds every node and nodelet label line of the matching `pprofkit dot` (whose DOT is
# pprof's, checked by the goldens); names full of < > & " and bad UTF-8 still give valid
# SVG; the Graphviz plugins are found even without Graphviz's plugin registry (GVBINDIR
# pointed at an empty directory); and rendering starts no other program: under strace there
# is one execve (pprofkit's own) and no fork, vfork or clone other than threads.
# Prints `PASS svg/NAME` or `FAIL svg/NAME (why)`; a check whose tool is missing prints
# `SKIP svg/NAME (why)`. Exits 1 if anything failed.
set -uo pipefail

if (($# != 1)); then
	echo "usage: $0 PPROFKIT" >&2
	exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PK=$(realpath -- "$1" 2>/dev/null) || PK=$1
if [[ ! -x $PK ]]; then
	echo "FAIL svg/setup ($1 is not an executable)"
	exit 1
fi
cd "$root/testdata/profiles" || exit 1
export TZ=UTC LC_ALL=C
# Graphviz and the font libraries under it keep caches for the life of the process; in the
# sanitizer build those are not pprofkit's leaks.
export LSAN_OPTIONS="suppressions=$root/tests/cli/svg-lsan.supp:print_suppressions=0"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
pass() { echo "PASS svg/$1"; }
fail() {
	echo "FAIL svg/$1 ($2)"
	failed=1
	[[ -s $T/err ]] && head -n 3 "$T/err" | cut -c 1-300 | sed 's/^/    stderr: /'
}

# well_formed FILE: xmllint, else python3's XML parser, else perl's XML::Parser; returns 2
# when none is installed.
well_formed() {
	if command -v xmllint >/dev/null; then
		xmllint --noout --nonet "$1" 2>"$T/xml.err"
	elif command -v python3 >/dev/null; then
		python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1" \
			2>"$T/xml.err"
	elif perl -MXML::Parser -e 1 2>/dev/null; then
		perl -MXML::Parser -e 'XML::Parser->new->parsefile($ARGV[0])' "$1" 2>"$T/xml.err"
	else
		return 2
	fi
}

# missing_labels DOT SVG: prints each line of a node or nodelet label of DOT that is not the
# whole text of a <text> element of SVG (after DOT unescaping and XML escaping; bytes that are
# not UTF-8 are read as Latin-1, as Graphviz reads them; Graphviz also writes "-" as &#45;).
missing_labels() {
	perl -e '
		my ($dot, $svg) = @ARGV;
		open my $d, "<", $dot or die "$dot: $!";
		open my $s, "<", $svg or die "$svg: $!";
		my %text;
		while (<$s>) { $text{$1} = 1 while m{>([^<>]*)</text>}g; }
		while (<$d>) {
			next unless /^N\S* \[label ?= ?"(.*)" id="(node|N)/;
			my ($lab, $line, @lines) = ($1, "");
			for (my $i = 0; $i < length $lab; $i++) {
				my $c = substr $lab, $i, 1;
				if ($c eq "\\" && $i + 1 < length $lab) {
					my $n = substr $lab, ++$i, 1;
					if ($n eq "n" || $n eq "l") { push @lines, $line; $line = ""; }
					else { $line .= $n; }
				} else {
					$line .= $c;
				}
			}
			push @lines, $line;
			for my $l (grep { /\S/ } @lines) {
				my $u = $l;
				$u =~ s/([\x80-\xff])/chr(0xc0 | (ord($1) >> 6)) . chr(0x80 | (ord($1) & 0x3f))/ge
					unless utf8::decode(my $copy = $l);
				$u =~ s/&/&amp;/g; $u =~ s/</&lt;/g; $u =~ s/>/&gt;/g;
				$u =~ s/"/&quot;/g; $u =~ s/\x27/&#39;/g; $u =~ s/-/&#45;/g;
				print "$l\n" unless $text{$u};
			}
		}
	' "$1" "$2"
}

# check NAME ARGS...: `pprofkit dot ARGS` and `pprofkit svg ARGS` both succeed, the SVG is
# well-formed and has every label of the DOT.
check() {
	local name=$1 rc
	shift
	"$PK" dot "$@" </dev/null >"$T/dot" 2>"$T/err"
	rc=$?
	if ((rc != 0)); then
		fail "$name" "pprofkit dot exited $rc"
		return
	fi
	"$PK" svg "$@" </dev/null >"$T/svg" 2>"$T/err"
	rc=$?
	if ((rc != 0)); then
		fail "$name" "pprofkit svg exited $rc"
		return
	fi
	well_formed "$T/svg"
	rc=$?
	if ((rc == 2)); then
		echo "SKIP svg/$name/well-formed (no xmllint, python3 or XML::Parser)"
	elif ((rc != 0)); then
		fail "$name" "not well-formed XML: $(head -n 1 "$T/xml.err")"
		return
	fi
	if ! grep -q '^<svg width="100%" height="100%"' "$T/svg" ||
		! grep -q '<g id="viewport" transform="scale(0.5,0.5) translate(0,0)">' "$T/svg"; then
		fail "$name" "pprof's SVG touch-ups are missing"
		return
	fi
	missing_labels "$T/dot" "$T/svg" >"$T/missing"
	if [[ -s $T/missing ]]; then
		fail "$name" "labels missing from the SVG: $(head -n 3 "$T/missing" | tr '\n' '|')"
		return
	fi
	pass "$name"
}

check leak.heap.2 leak.heap.2.pb.gz
check leak.goroutine leak.goroutine.pb.gz
check cpu cpu.pb.gz
check cpu/lines cpu.pb.gz -lines
check cpu/call_tree cpu.pb.gz -call_tree -nodecount=30
check cpp cpp.pb.gz
check java java.pb.gz
check dup/addresses dup.pb.gz -addresses
check leak.heap/diff_base leak.heap.2.pb.gz -diff_base=leak.heap.0.pb.gz

perl "$root/tests/cli/svg-names.pl" >"$T/names.pb" || fail names "cannot write the profile"
check names "$T/names.pb"

# Without Graphviz's plugin registry the plugins are opened by hand: the same picture.
mkdir "$T/no-plugins"
"$PK" svg cpu.pb.gz </dev/null >"$T/with" 2>/dev/null
GVBINDIR=$T/no-plugins "$PK" svg cpu.pb.gz </dev/null >"$T/without" 2>"$T/err"
rc=$?
if ((rc != 0)); then
	fail no-registry "exit $rc"
elif ! cmp -s "$T/with" "$T/without"; then
	fail no-registry "the SVG differs from the one made with the registry"
else
	pass no-registry
fi

# No child process: pprofkit's own execve only, and only threads cloned. (LeakSanitizer
# cannot run under ptrace, hence detect_leaks=0 for the sanitizer build.)
if ! command -v strace >/dev/null; then
	echo "SKIP svg/no-child-process (strace is not installed)"
elif ! ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,fork,vfork,clone,clone3 \
	-o "$T/trace" "$PK" svg cpu.pb.gz </dev/null >"$T/svg" 2>"$T/err"; then
	if grep -q 'PTRACE\|ptrace' "$T/err"; then
		echo "SKIP svg/no-child-process (strace cannot trace here)"
	else
		fail no-child-process "pprofkit svg failed under strace"
	fi
else
	execs=$(grep -c 'execve(' "$T/trace")
	children=$(grep -E 'fork\(|clone3?\(' "$T/trace" | grep -vc 'CLONE_THREAD')
	if ((execs != 1)); then
		fail no-child-process "$execs execve calls: $(grep 'execve(' "$T/trace" | cut -c 1-120 | tr '\n' '|')"
	elif ((children != 0)); then
		fail no-child-process "$children processes forked or cloned"
	else
		pass no-child-process
	fi
fi

exit $failed
