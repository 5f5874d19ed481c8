/* http.h - (being written) */
#ifndef DUKA_HTTP_H
#define DUKA_HTTP_H
#endif
