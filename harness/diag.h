/* diag.h - collected input diagnostics, printed as file:line:col: error: msg
 * with the source line and a caret. A struct diag owns its entries; diag_release()
 * frees them. Lines and columns are 1-based; 0 means "whole file". */
#ifndef WM_DIAG_H
#define WM_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag_entry {
	enum diag_level level;
	char *file;
	unsigned line, col, width;
	char *msg;
};

struct diag {
	struct diag_entry *v;
	size_t n, alloc;
	size_t errors;
};
#define DIAG_INIT { NULL, 0, 0, 0 }

void diag_add(struct diag *d, enum diag_level lv, const char *file, unsigned line,
	      unsigned col, unsigned width, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
#define diag_error(d, f, l, c, ...) diag_add((d), DIAG_ERROR, (f), (l), (c), 1, __VA_ARGS__)
/* Prints all entries in insertion order; colour when 'color'. */
void diag_print(const struct diag *d, FILE *out, bool color);
void diag_release(struct diag *d);

#endif
