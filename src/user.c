/* user.c - (being written) */
#include "config.h"

#include "user.h"
