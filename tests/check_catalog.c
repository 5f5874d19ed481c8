/* check_db.c - placeholder, written next. */
#include "config.h"
int main(void) { return 0; }
