/* jsonload.h - a fast path for reading large JSON documents into jansson values: yajl's
 * tokenizer (several times faster than jansson's) builds the json_t tree directly. It
 * accepts exactly what json_loadb(..., JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL) accepts
 * for the documents we read; on anything doubtful (syntax error, duplicate key, NUL in a
 * key, a scalar at the top) it returns NULL and the caller parses with jansson, which
 * gives the error with its position. A string value may hold NUL ("\u0000"): the caller
 * decides where that is allowed (results_read.c: only in byte data) and refuses it elsewhere,
 * since the rest of the program reads strings as C strings. */
#ifndef WM_JSONLOAD_H
#define WM_JSONLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* New reference, or NULL: parse again with json_loadb for the error. *nul tells whether
 * any string value holds a NUL. Equal short strings and small integers may be one shared
 * json_t: treat the values as read-only. */
json_t *jsonload_fast(const char *text, size_t len, bool *nul);

/* What a JSON value is, for error messages: "an object", "an array", "a string", "an
 * integer", "a number", "a boolean" or "null". */
const char *jsonload_type_name(const json_t *j);

#endif
