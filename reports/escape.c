/* escape.c - every escaper the outputs use (escape.h): HTML, XML text and CDATA,
 * Markdown table cells, GitHub workflow command values, terminal text. Renderers never
 * escape by hand. */
#define _GNU_SOURCE
#include "escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence starting at s (results strings are valid UTF-8). */
static size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
static bool xml_illegal(const unsigned char *s, size_t l)
{
	if (l == 1)
		return s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r';
	if (l == 3 && s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return true;
	return false;
}

/* Plain printable ASCII, which both XML escapers copy as it is: copied in runs. */
static bool xml_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"' && c != ']';
}

void esc_xml_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t run = i;
		while (run < n && xml_plain(u[run]))
			run++;
		if (run > i) {
			buf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		size_t l = u8len(u[i]);
		if (i + l > n)
			l = n - i;
		if (!xml_illegal(u + i, l)) {
			switch (u[i]) {
			case '&': buf_adds(b, "&amp;"); break;
			case '<': buf_adds(b, "&lt;"); break;
			case '>': buf_adds(b, "&gt;"); break;
			case '"': buf_adds(b, "&quot;"); break;
			case '\n': buf_adds(b, "&#10;"); break;
			case '\r': buf_adds(b, "&#13;"); break;
			case '\t': buf_adds(b, "&#9;"); break;
			default: buf_add(b, s + i, l);
			}
		}
		i += l;
	}
}

void esc_xml_cdata(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	buf_adds(b, "<![CDATA[");
	for (size_t i = 0; i < n;) {
		size_t run = i;
		while (run < n && xml_plain(u[run]))
			run++;
		if (run > i) {
			buf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		size_t l = u8len(u[i]);
		if (i + l > n)
			l = n - i;
		if (l == 1 && i + 3 <= n && !memcmp(s + i, "]]>", 3)) {
			buf_adds(b, "]]]]><![CDATA[>");
			i += 3;
			continue;
		}
		if (!xml_illegal(u + i, l))
			buf_add(b, s + i, l);
		i += l;
	}
	buf_adds(b, "]]>");
}

void esc_html(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		switch (ch) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default:
			if (ch < 0x20 && ch != '\n' && ch != '\t')
				buf_addf(b, "\\x%02x", ch);
			else
				buf_addc(b, (char)ch);
		}
	}
}

void esc_html_str(struct buf *b, const char *s)
{
	esc_html(b, s, s ? strlen(s) : 0);
}

void esc_html_file(FILE *f, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	esc_html(&b, s, n);
	if (b.len)
		fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}
void esc_term(struct buf *b, const char *s, size_t n, size_t max)
{
	text_visible(b, s ? s : "", s ? (n < max ? n : max) : 0, false);
	if (s && n > max)
		buf_adds(b, "...");
}

void esc_term_file(FILE *f, const char *s, size_t n, size_t max)
{
	struct buf b = BUF_INIT;
	esc_term(&b, s, n, max);
	if (b.len)
		fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

void esc_term_str(FILE *f, const char *s)
{
	esc_term_file(f, s, s ? strlen(s) : 0, SIZE_MAX);
}

/* Text for a table cell: one line, '|' escaped, at most 'max' bytes (cut at a UTF-8
 * boundary). */
void esc_md_cell(struct buf *b, const char *text, size_t max)
{
	/* line breaks become spaces, then anything a terminal would interpret is made visible */
	char *flat = xstrdup(text ? text : ""), *vis;
	for (char *p = flat; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	vis = text_visible_str(flat, false);
	free(flat);
	size_t n = 0;
	const char *s = vis;
	for (; *s; s++, n++) {
		if (n >= max && ((unsigned char)*s & 0xc0) != 0x80) {
			buf_adds(b, "…");
			break;
		}
		if (*s == '|')
			buf_adds(b, "\\|");
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			buf_addc(b, ' ');
		else if (*s == '<')
			buf_adds(b, "&lt;");
		else if (*s == '`' || *s == '*' || *s == '_' || *s == '[' || *s == ']')
			buf_addf(b, "\\%c", *s);
		else
			buf_addc(b, *s);
	}
	free(vis);
}

/* A workflow command value: %, CR, LF escaped; in properties also ':' and ','. */
void esc_gh(struct buf *b, const char *text, bool prop)
{
	char *vis = text_visible_str(text, true);	/* no escape sequences into the job log */
	for (const char *s = vis; *s; s++) {
		if (*s == '%')
			buf_adds(b, "%25");
		else if (*s == '\r')
			buf_adds(b, "%0D");
		else if (*s == '\n')
			buf_adds(b, "%0A");
		else if (prop && *s == ':')
			buf_adds(b, "%3A");
		else if (prop && *s == ',')
			buf_adds(b, "%2C");
		else
			buf_addc(b, *s);
	}
	free(vis);
}

