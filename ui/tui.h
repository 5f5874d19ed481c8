/* tui.h - the till screen (being written). */
#ifndef DUKA_TUI_H
#define DUKA_TUI_H
#endif
