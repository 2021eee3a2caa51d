/* util.h - the small modules nearly every file uses, in one include: each has its own
 * header, one job and one prefix.
 *   mem.h      xmalloc & co: allocation that aborts on OOM (x prefix)
 *   buf.h      growable, optionally capped byte buffers (buf_)
 *   strvec.h   string vectors (strvec_)
 *   strset.h   sets of byte strings with a value, hashed with a random key (strset_)
 *   path.h     host paths as strings: join, dirname, basename (path_)
 *   fs.h       the file system by path: read, test, list, mkdir -p, rm -rf (fs_)
 *   wfile.h    output files written atomically (wfile_)
 *   text.h     text for a reader: terminal-visible, shell-quoted, first line (text_)
 *   suggest.h  "did you mean" by edit distance (suggest_)
 *   fnv1a.h    64-bit FNV-1a (fnv1a)
 *   now.h      the monotonic clock (now_) */
#ifndef WM_UTIL_H
#define WM_UTIL_H

#include "mem.h"
#include "buf.h"
#include "strvec.h"
#include "strset.h"
#include "path.h"
#include "fs.h"
#include "wfile.h"
#include "text.h"
#include "suggest.h"
#include "fnv1a.h"
#include "now.h"

/* The number of elements of an array (not a pointer). */
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#endif
