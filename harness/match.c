/* match.c - output matchers on top of PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"
#include "util.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

const char *match_kind_name(enum match_kind k)
{
	static const char *const names[] = { "any", "exact", "prefix", "contains", "regex" };
	return names[k];
}

void *match_regex_compile(const char *pat, char **errmsg, size_t *erroff)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		if (errmsg)
			*errmsg = xstrdup((char *)msg);
		if (erroff)
			*erroff = off;
	}
	return re;
}

void match_regex_free(void *re)
{
	pcre2_code_free(re);
}

bool match_regex_search(void *re, const char *s, size_t n, char **cap1)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	bool ok = rc >= 0;
	if (ok && cap1) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		*cap1 = NULL;
		if (rc >= 2 && ov[2] != PCRE2_UNSET)
			*cap1 = xstrndup(s + ov[2], ov[3] - ov[2]);
	}
	pcre2_match_data_free(md);
	return ok;
}

bool match_regex_find(void *re, const char *s, size_t n, size_t *start, size_t *end)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	if (rc >= 0) {
		*start = pcre2_get_ovector_pointer(md)[0];
		*end = pcre2_get_ovector_pointer(md)[1];
	}
	pcre2_match_data_free(md);
	return rc >= 0;
}

bool match_compile(struct matcher *m, char **errmsg, size_t *erroff)
{
	if (m->kind != MATCH_REGEX)
		return true;
	m->re = match_regex_compile(m->text, errmsg, erroff);
	return m->re != NULL;
}

static char *normalize(const char *s, size_t n, size_t *outn)
{
	char *o = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		o[j++] = s[i];
	}
	o[j] = 0;
	*outn = j;
	return o;
}

static const char *memfind(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
			return h + i;
	return NULL;
}

bool match_test(const struct matcher *m, const char *s, size_t n, bool truncated)
{
	char *norm = NULL;
	bool ok = false;
	if (m->kind == MATCH_ANY)
		return true;
	if (m->normalize_newlines)
		s = norm = normalize(s, n, &n);
	switch (m->kind) {
	case MATCH_EXACT:
		ok = !truncated && n == m->len && memcmp(s, m->text, n) == 0;
		break;
	case MATCH_PREFIX:
		ok = n >= m->len && memcmp(s, m->text, m->len) == 0;
		break;
	case MATCH_CONTAINS:
		ok = memfind(s, n, m->text, m->len) != NULL;
		break;
	case MATCH_REGEX:
		ok = match_regex_search(m->re, s, n, NULL);
		break;
	case MATCH_ANY:
		ok = true;
		break;
	}
	free(norm);
	return ok;
}

void match_release(struct matcher *m)
{
	free(m->text);
	if (m->re)
		pcre2_code_free(m->re);
	memset(m, 0, sizeof *m);
}
