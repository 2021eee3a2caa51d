/* fnv1a.h - 64-bit FNV-1a: start with h = FNV1A_INIT, feed bytes in as many calls as
 * needed. Not for anything an adversary picks to collide (strset has its own keyed hash). */
#ifndef WM_FNV1A_H
#define WM_FNV1A_H

#include <stddef.h>

#define FNV1A_INIT 14695981039346656037ULL
unsigned long long fnv1a(unsigned long long h, const void *p, size_t n);

#endif
