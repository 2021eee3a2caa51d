/* text.h - text shaped for a reader: made visible for a terminal, shell-quoted for a
 * copy-pastable command, cut to its first line. Functions that append take a struct buf;
 * the others return malloc'd strings. */
#ifndef WM_TEXT_H
#define WM_TEXT_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends s[0..n) with everything a terminal would interpret made visible, never
 * interpreted: control characters as \r, \t (single-line), \n (single-line) or \xHH (ESC is
 * \x1b), DEL as \x7f, invalid UTF-8 bytes as \xHH, C1 controls and bidi overrides as
 * \uHHHH. keep_newlines: '\n' and '\t' stay (multi-line text such as diffs). The one
 * escaping function for text from input or guests that reaches a terminal. */
void text_visible(struct buf *out, const char *s, size_t n, bool keep_newlines);
/* The same into a malloc'd string (s NULL gives ""). */
char *text_visible_str(const char *s, bool keep_newlines);
/* Shell-quote one argument for a copy-pastable command line. */
void text_shell_quote(struct buf *out, const char *arg);
/* The first non-blank line of s[0..n) (leading newlines and spaces skipped), at most max
 * bytes, malloc'd; "" when s is NULL. */
char *text_first_line(const char *s, size_t n, size_t max);

#endif
