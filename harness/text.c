/* text.c - see text.h. */
#include "text.h"
#include "buf.h"
#include "mem.h"

#include <string.h>

void text_shell_quote(struct buf *out, const char *arg)
{
	bool plain = *arg != '\0';
	for (const char *p = arg; *p; p++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p)) {
			plain = false;
			break;
		}
	}
	if (plain) {
		buf_adds(out, arg);
		return;
	}
	buf_addc(out, '\'');
	for (const char *p = arg; *p; p++) {
		if (*p == '\'')
			buf_adds(out, "'\\''");
		else
			buf_addc(out, *p);
	}
	buf_addc(out, '\'');
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t l = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
		   s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (!l || l > n)
		return 0;
	for (size_t i = 1; i < l; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return l;
}

void text_visible(struct buf *out, const char *s, size_t n, bool keep_newlines)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		if (c >= 0x20 && c < 0x7f) {
			buf_addc(out, (char)c);
			i++;
		} else if ((c == '\n' || c == '\t') && keep_newlines) {
			buf_addc(out, (char)c);
			i++;
		} else if (c < 0x80) {
			if (c == '\n' || c == '\r' || c == '\t')
				buf_addf(out, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
			else
				buf_addf(out, "\\x%02x", c);
			i++;
		} else {
			size_t l = utf8_len(u + i, n - i);
			unsigned cp = l == 2 ? (unsigned)(c & 0x1f) << 6 | (u[i + 1] & 0x3f) :
				l == 3 ? (unsigned)(c & 0x0f) << 12 | (unsigned)(u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f) : 0;
			if (!l) {
				buf_addf(out, "\\x%02x", c);
				i++;
				continue;
			}
			/* C1 controls (CSI 0x9b...), and the marks that reorder text on screen */
			if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
			    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
				buf_addf(out, "\\u%04x", cp);
			else
				buf_add(out, u + i, l);
			i += l;
		}
	}
}

char *text_visible_str(const char *s, bool keep_newlines)
{
	struct buf b = BUF_INIT;
	text_visible(&b, s ? s : "", s ? strlen(s) : 0, keep_newlines);
	if (!b.data)
		buf_adds(&b, "");
	return buf_detach(&b);
}

char *text_first_line(const char *s, size_t n, size_t max)
{
	if (!s)
		return xstrdup("");
	while (n && (*s == '\n' || *s == '\r' || *s == ' ')) {
		s++;
		n--;
	}
	size_t l = 0;
	while (l < n && s[l] != '\n' && s[l] != '\r' && l < max)
		l++;
	return xstrndup(s, l);
}
