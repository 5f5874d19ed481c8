/* sync.h - (being written) */
#ifndef DUKA_SYNC_H
#define DUKA_SYNC_H
#endif
