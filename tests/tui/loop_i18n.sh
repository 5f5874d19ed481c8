#!/bin/sh
# loop_i18n.sh - the till screen in Swahili: with a sw_KE locale (built
# here as tests/i18n.sh does) the header, the help screen and F10's question
# show the Swahili words of po/sw.po. The expected words are read from the
# catalogue itself (gettext), so a better translation does not break the
# test; skipped while the catalogue has none of the till's words.
export DUKA_NOW=2026-11-25T09:00:00Z USER=amina
. "${top_srcdir:-.}/tests/tui/lib.sh"

gmo="${top_builddir:-.}/po/sw.gmo"
[ -f "$gmo" ] || gmo="${top_srcdir:-.}/po/sw.gmo"
if [ ! -f "$gmo" ] || ! command -v localedef >/dev/null ||
    ! command -v gettext >/dev/null; then
	echo "no sw.gmo, localedef or gettext: skipped"
	exit 77
fi
mkdir -p "$T/locale/sw/LC_MESSAGES" "$T/locpath"
cp "$gmo" "$T/locale/sw/LC_MESSAGES/duka.mo"
if ! localedef -i sw_KE -c -f UTF-8 "$T/locpath/sw_KE.UTF-8" 2>/dev/null &&
    [ ! -d "$T/locpath/sw_KE.UTF-8" ]; then
	echo "cannot build the sw_KE locale: skipped"
	exit 77
fi

# sw MSGID: the Swahili of MSGID from the catalogue (MSGID if none).
sw() {
	LC_ALL=sw_KE.UTF-8 LOCPATH="$T/locpath" LANGUAGE= \
	    TEXTDOMAINDIR="$T/locale" gettext -d duka -- "$1"
}
home=$(sw "Home")
if [ "$home" = "Home" ]; then
	echo "po/sw.po has no Swahili for the till's screens yet: skipped"
	exit 77
fi

export DUKA_LOCALEDIR="$T/locale" LOCPATH="$T/locpath"
TUI_LC_ALL=sw_KE.UTF-8
tui_start || { finish; exit 1; }
tui_expect "the header names the home screen in Swahili ($home)" " · $home "
tui_refute "no English title" " · Home "

every=$(sw "Keys of every screen")
tui_keys F1
if [ "$every" != "Keys of every screen" ]; then
	tui_expect "help in Swahili ($every)" "$every"
else
	echo "# no Swahili for \"Keys of every screen\" yet"
	tui_wait "Keys of every screen"
fi
tui_keys Escape
tui_wait " · $home "

close=$(sw "Close the till?")
tui_keys F10
if [ "$close" != "Close the till?" ]; then
	tui_expect "F10 asks in Swahili ($close)" "$close"
else
	echo "# no Swahili for \"Close the till?\" yet"
	tui_wait "Close the till?"
fi
tui_keys Escape
tui_wait_gone "$close"

# Too small, in Swahili too (the numbers are the same in every language).
small=$(sw "This terminal is %d×%d.")
tui_resize 70 20
if [ "$small" != "This terminal is %d×%d." ]; then
	tui_expect "too small, in Swahili" "$(printf "$small" 70 20)"
else
	tui_wait "70×20"
fi
tui_resize 80 24
tui_wait " · $home "
tui_stop && ok "y closes the till in Swahili too"
finish
