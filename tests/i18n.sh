#!/bin/sh
# i18n.sh - Swahili messages: the translation catalogue built from
# po/sw.po is used when the locale asks for Swahili.
. "${top_srcdir:-.}/tests/lib.sh"

gmo="${top_builddir:-.}/po/sw.gmo"
[ -f "$gmo" ] || gmo="${top_srcdir}/po/sw.gmo"
if [ ! -f "$gmo" ] || ! command -v localedef >/dev/null; then
	echo "no sw.gmo or localedef: skipped"
	exit 77
fi
mkdir -p "$T/locale/sw/LC_MESSAGES" "$T/locpath"
cp "$gmo" "$T/locale/sw/LC_MESSAGES/duka.mo"
# A Swahili (Kenya) locale of our own, so that no system locale is needed.
if ! localedef -i sw_KE -c -f UTF-8 "$T/locpath/sw_KE.UTF-8" 2>/dev/null &&
    [ ! -d "$T/locpath/sw_KE.UTF-8" ]; then
	echo "cannot build the sw_KE locale: skipped"
	exit 77
fi
export DUKA_LOCALEDIR="$T/locale" LOCPATH="$T/locpath" LC_ALL=sw_KE.UTF-8

run --help
expect "help in Swahili" 0 "Amri:"
run --db "$T/none.db" check
expect "missing database in Swahili" 4 "hakuna hifadhidata"
run --db "$T/shop.db" init
expect "init in Swahili" 0 "Hifadhidata tupu"
run --db "$T/shop.db" check
expect "check in Swahili" 0 "ukaguzi wote umefaulu"
LANGUAGE=en run --db "$T/shop.db" check
expect "LANGUAGE=en keeps English" 0 "all checks passed"
LC_ALL=C.UTF-8 run --db "$T/shop.db" check
expect "English without a Swahili locale" 0 "all checks passed"

finish
