#!/bin/bash
# The build and the package, as an operator meets them:
#  - `make` on a machine that lacks a compiler, pkg-config or a library's
#    headers says the one apt-get line and stops, never a compiler error;
#  - `make install` into a scratch DESTDIR works from the installed files
#    (`vmmanager --demo --print`), `make uninstall` leaves nothing behind;
#  - `make deb` builds a .deb with dpkg-buildpackage whose contents and
#    dependencies are checked (dpkg-deb -c / -I), lintian finds no error,
#    and installed into a throw-away root (dpkg -x) it runs its own demo
#    and its bash completion offers the demo's VMs.
# Everything it makes goes away on exit.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vmm-package.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "package: $*"; }
check() { # what command...
	local what=$1
	shift
	if "$@"; then ok; else ko "$what"; fi
}
version=$(sed -n 's/^VERSION = //p' config.mk)

# 1. A missing build package is named, in one apt-get line.
missing_says() { # want make-args...
	local want=$1 out
	shift
	out=$(make --no-print-directory "$@" all 2>&1)
	if [[ $? -eq 0 ]]; then
		ko "make $* succeeded although something is missing"
	elif ! grep -qxF "  apt-get update && apt-get install -y $want" <<<"$out"; then
		ko "make $* did not say 'apt-get install -y $want':"$'\n'"$out"
	elif grep -qiE 'error:|No such file|fatal' <<<"$out"; then
		ko "make $* ended in a compiler error:"$'\n'"$out"
	else
		ok
	fi
}
printf '#!/bin/sh\ncase " $* " in *" libvirt "*) exit 1 ;; esac\nexec pkg-config "$@"\n' >"$scratch/pkg-config"
chmod 755 "$scratch/pkg-config"
missing_says libvirt-dev PKG_CONFIG="$scratch/pkg-config"
missing_says pkg-config PKG_CONFIG="$scratch/no-such-pkg-config"
missing_says build-essential CC="$scratch/no-such-cc"

# 2. make install, the installed demo, make uninstall.
dest=$scratch/dest
if make --no-print-directory -s install DESTDIR="$dest" PREFIX=/usr >"$scratch/install.log" 2>&1; then
	for f in usr/bin/vmmanager usr/share/man/man1/vmmanager.1 usr/share/vmmanager/demo.xml \
		usr/share/bash-completion/completions/vmmanager; do
		check "make install did not install $f" test -f "$dest/$f"
	done
	out=$("$dest/usr/bin/vmmanager" --demo --print kernel-dev 2>&1)
	check "the installed vmmanager --demo --print failed: $out" \
		grep -q "^VM kernel-dev on test://$dest/usr/share/vmmanager/demo.xml$" <<<"$out"
	check "the installed man page does not say its version" grep -qF "\"vmmanager $version\"" "$dest/usr/share/man/man1/vmmanager.1"
	make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/usr >>"$scratch/install.log" 2>&1
	left=$(find "$dest" -type f)
	check "make uninstall left: $left" test -z "$left"
else
	ko "make install failed: $(tail -n 5 "$scratch/install.log")"
fi

# 3. make deb, and the package itself.
if [[ $(sed -n '1s/^vmmanager (\([^)]*\)).*/\1/p' debian/changelog) != "$version" ]]; then
	ko "debian/changelog's version is not config.mk's $version"
else
	ok
fi
if ! make --no-print-directory deb >"$scratch/deb.log" 2>&1; then
	ko "make deb failed: $(tail -n 15 "$scratch/deb.log")"
else
	deb=build/deb/vmmanager_${version}_$(dpkg --print-architecture).deb
	check "no $deb" test -f "$deb"
	list=$(dpkg-deb -c "$deb")
	for f in ./usr/bin/vmmanager ./usr/share/man/man1/vmmanager.1.gz ./usr/share/vmmanager/demo.xml \
		./usr/share/doc/vmmanager/README.md.gz ./usr/share/doc/vmmanager/copyright \
		./usr/share/bash-completion/completions/vmmanager; do
		check "the package lacks $f" grep -qE " $f\$" <<<"$list"
	done
	info=$(dpkg-deb -I "$deb")
	for lib in libvirt0 libncursesw6 libxml2; do
		check "the package does not depend on $lib (dpkg-shlibdeps)" grep -qE "^ Depends: .*\\b$lib \\(>= " <<<"$info"
	done
	if command -v lintian >/dev/null; then
		out=$(lintian --fail-on error build/deb/vmmanager_"${version}"_*.changes 2>&1)
		check "lintian reports errors:"$'\n'"$out" test $? -eq 0
	else
		echo "package: lintian is not installed: not run (scripts/deps.sh check installs it)"
	fi
	root=$scratch/root
	dpkg -x "$deb" "$root"
	out=$("$root/usr/bin/vmmanager" --demo --print kernel-dev 2>&1)
	check "the packaged vmmanager --demo --print failed: $out" \
		grep -q "^VM kernel-dev on test://$root/usr/share/vmmanager/demo.xml$" <<<"$out"
	out=$("$root/usr/bin/vmmanager" --version)
	check "the packaged --version says '$out'" test "$out" = "vmmanager $version"
	# The completion offers options, and the VMs through --list.
	out=$(bash -c 'source "$1/usr/share/bash-completion/completions/vmmanager"
		COMP_WORDS=("$1/usr/bin/vmmanager" --demo --print w); COMP_CWORD=3; _vmmanager
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=("$1/usr/bin/vmmanager" --li); COMP_CWORD=1; _vmmanager
		printf "%s\n" "${COMPREPLY[@]}"' sh "$root")
	check "the completion offered: $out" test "$out" = $'web-frontend\nwin11-lab\n--list'
fi
echo "package: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
