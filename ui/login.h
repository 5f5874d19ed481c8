/*
 * login.h - asking who is at the till (first owner, login, lock after the
 * idle timeout, switch user). The manager's approval pop-up that screens
 * use is tui_approve() in tui.h.
 */
#ifndef DUKA_LOGIN_H
#define DUKA_LOGIN_H

#include "tui.h"

struct actor;

/* At start: the first owner of a new shop, else the login form; the demo
 * shop without users opens in setup mode. -1 when the user gave up. */
int login_start(struct tui *t, struct actor *a);
/* Idle timeout or switch user: log out, then ask again (why is the
 * title). -1 when the user gave up (the till closes). */
int login_again(struct tui *t, struct actor *a, const char *why);

#endif
