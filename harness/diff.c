/* diff.c - LCS line diff (O(n*m) over at most DIFF_MAX_LINES lines per side), enough
 * for test outputs; bigger inputs get a one-line summary instead. */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_MAX_LINES 2000
#define CONTEXT 2

struct line {
	const char *p;
	size_t n;		/* without the newline */
	bool nl;		/* ended with a newline */
};

static size_t split(const char *s, size_t n, struct line **out)
{
	size_t cnt = 0, alloc = 16;
	struct line *v = xmalloc(alloc * sizeof *v);
	size_t i = 0;
	while (i < n) {
		const char *e = memchr(s + i, '\n', n - i);
		size_t l = e ? (size_t)(e - (s + i)) : n - i;
		if (cnt == alloc)
			v = xrealloc(v, (alloc *= 2) * sizeof *v);
		v[cnt].p = s + i;
		v[cnt].n = l;
		v[cnt++].nl = e != NULL;
		i += l + (e ? 1 : 0);
	}
	*out = v;
	return cnt;
}

static bool eq(const struct line *a, const struct line *b)
{
	return a->n == b->n && a->nl == b->nl && memcmp(a->p, b->p, a->n) == 0;
}

static void emit(struct buf *out, char tag, const struct line *l)
{
	buf_addc(out, tag);
	for (size_t i = 0; i < l->n; i++) {
		unsigned char c = (unsigned char)l->p[i];
		if (c == '\r')
			buf_adds(out, "\\r");
		else if (c < 0x20 && c != '\t')
			buf_addf(out, "\\x%02x", c);
		else
			buf_addc(out, (char)c);
	}
	buf_addc(out, '\n');
	if (!l->nl)
		buf_adds(out, "\\ No newline at end of output\n");
}

void diff_unified(const char *a, size_t an, const char *b, size_t bn, struct buf *out)
{
	struct line *la, *lb;
	size_t n = split(a, an, &la), m = split(b, bn, &lb);
	if (n > DIFF_MAX_LINES || m > DIFF_MAX_LINES) {
		buf_addf(out, "(outputs too long to diff: expected %zu lines/%zu bytes, got %zu lines/%zu bytes)\n",
			 n, an, m, bn);
		free(la);
		free(lb);
		return;
	}
	/* lcs[i][j] = LCS length of la[i..] and lb[j..] */
	uint32_t *lcs = xcalloc((n + 1) * (m + 1), sizeof *lcs);
#define L(i, j) lcs[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			L(i, j) = eq(&la[i], &lb[j]) ? L(i + 1, j + 1) + 1 :
				(L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
	/* edit script: ' ' keep, '-' delete from a, '+' insert from b */
	size_t cap = n + m + 1, k = 0;
	char *op = xmalloc(cap);
	size_t *ia = xmalloc(cap * sizeof *ia), *ib = xmalloc(cap * sizeof *ib);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && eq(&la[i], &lb[j])) {
			op[k] = ' ', ia[k] = i++, ib[k++] = j++;
		} else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1))) {
			op[k] = '-', ia[k] = i++, ib[k++] = j;
		} else {
			op[k] = '+', ia[k] = i, ib[k++] = j++;
		}
	}
#undef L
	buf_adds(out, "--- expected\n+++ actual\n");
	size_t s = 0;
	while (s < k) {
		while (s < k && op[s] == ' ')
			s++;
		if (s == k)
			break;
		size_t start = s >= CONTEXT ? s - CONTEXT : 0, end = s;
		/* extend the hunk while changes are within 2*CONTEXT of each other */
		for (;;) {
			while (end < k && op[end] != ' ')
				end++;
			size_t e2 = end;
			while (e2 < k && op[e2] == ' ' && e2 - end < 2 * CONTEXT)
				e2++;
			if (e2 < k && op[e2] != ' ' && e2 - end <= 2 * CONTEXT)
				end = e2;
			else
				break;
		}
		size_t stop = end + CONTEXT < k ? end + CONTEXT : k;
		size_t a0 = ia[start], b0 = ib[start], ac = 0, bc = 0;
		for (size_t t = start; t < stop; t++) {
			ac += op[t] != '+';
			bc += op[t] != '-';
		}
		buf_addf(out, "@@ -%zu,%zu +%zu,%zu @@\n", a0 + (ac ? 1 : 0), ac, b0 + (bc ? 1 : 0), bc);
		for (size_t t = start; t < stop; t++)
			emit(out, op[t], op[t] == '+' ? &lb[ib[t]] : &la[ia[t]]);
		s = stop;
	}
	free(op);
	free(ia);
	free(ib);
	free(lcs);
	free(la);
	free(lb);
}
