/* mpesa.h - (being written) */
#ifndef DUKA_MPESA_H
#define DUKA_MPESA_H
#endif
