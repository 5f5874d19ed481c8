/* http.c - (being written) */
#include "config.h"

#include "http.h"
