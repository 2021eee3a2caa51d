/* suggest.h - "did you mean" suggestions for keys, placeholders, commands and runtimes:
 * the closest candidate by edit distance (Levenshtein). */
#ifndef WM_SUGGEST_H
#define WM_SUGGEST_H

#include <stddef.h>

/* Closest candidate within a sensible distance, or NULL. */
const char *suggest_closest(const char *word, const char *const *cands, size_t n);

#endif
