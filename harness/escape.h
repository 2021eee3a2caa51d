/* escape.h - the escapers for every output format (reports/escape.c). Each appends the
 * escaped text to a struct buf (buf.h); nothing is allocated that the caller must free. */
#ifndef WM_ESCAPE_H
#define WM_ESCAPE_H

#include "util.h"

#include <stddef.h>
#include <stdio.h>

/* HTML text or attribute value: &<>"' as entities, control characters other than tab and
 * newline as \xNN. */
void esc_html(struct buf *b, const char *s, size_t n);
void esc_html_str(struct buf *b, const char *s);	/* NUL-terminated, NULL is "" */
void esc_html_file(FILE *f, const char *s, size_t n);	/* the same, written to f */
/* XML 1.0 text: &<>" and tab/newline/CR as entities, characters XML forbids dropped. */
void esc_xml_text(struct buf *b, const char *s, size_t n);
/* <![CDATA[...]]> with "]]>" split across two sections, forbidden characters dropped. */
void esc_xml_cdata(struct buf *b, const char *s, size_t n);
/* A Markdown table cell: one line, terminal controls made visible, '|' and the inline
 * markup characters `*_[] backslash-escaped, '<' as &lt;, at most 'max' bytes (cut at a
 * UTF-8 boundary with "…"). */
void esc_md_cell(struct buf *b, const char *text, size_t max);
/* Text for a terminal: s[0..n) with everything a terminal would interpret made visible
 * (text_visible, one line), at most 'max' bytes of it, then "..." when cut. */
void esc_term(struct buf *b, const char *s, size_t n, size_t max);
void esc_term_file(FILE *f, const char *s, size_t n, size_t max);	/* the same, written to f */
void esc_term_str(FILE *f, const char *s);	/* NUL-terminated, NULL is "", whole */
/* A GitHub workflow command value: %, CR, LF escaped; in properties (prop) also ':' and ','. */
void esc_gh(struct buf *b, const char *text, bool prop);

#endif
