/* sale.c - being written. */
#include "config.h"
