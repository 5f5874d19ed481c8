/* mpesa.c - (being written) */
#include "config.h"

#include "mpesa.h"
