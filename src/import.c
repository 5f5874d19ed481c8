/* import.c - being written. */
#include "config.h"
