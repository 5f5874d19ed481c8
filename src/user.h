/* user.h - (being written) */
#ifndef DUKA_USER_H
#define DUKA_USER_H
#endif
