/* claims.h - the webassembly.org feature table (vendor/webassembly-features/features.json,
 * docs/features.md): per platform (a browser or runtime) and proposal, what its authors
 * claim: supported since a version, true, false, null, "flag", or [claim, "note"]. Read
 * with the project's JSON loader (jsonload.h) and validated against what
 * features.schema.json says, each problem at its file:line:col (diag.h). The claims are
 * compared with measurements by features.h.
 * Ownership: a struct claims holds one reference to its document; claims_release() drops
 * it. Every string a claim points at is borrowed from that document. */
#ifndef WM_CLAIMS_H
#define WM_CLAIMS_H

#include "diag.h"

#include <jansson.h>
#include <stdbool.h>

/* The vendored copy, relative to the project (or data) directory. */
#define CLAIMS_DEFAULT_PATH "vendor/webassembly-features/features.json"

enum claim_kind {
	CLAIM_ABSENT,		/* the platform's table has no entry for the feature */
	CLAIM_NA,		/* null: not applicable / unknown */
	CLAIM_NO,		/* false */
	CLAIM_YES,		/* true: supported, version unknown */
	CLAIM_FLAG,		/* "flag": supported behind a flag */
	CLAIM_VERSION,		/* "47": supported (by default) since that version */
};

struct claim {
	enum claim_kind kind;
	const char *version;	/* CLAIM_VERSION: the version; else NULL */
	const char *note;	/* the note of [claim, "note"], or NULL */
};

struct claims {
	char *path;		/* as given, for messages */
	json_t *doc;		/* owned reference */
	json_t *features, *browsers;	/* borrowed */
};

/* Reads and validates 'path'. Returns 0, or -1 with every problem in d (c is then empty
 * but still to be released). */
int claims_load(struct claims *c, const char *path, struct diag *d);
void claims_release(struct claims *c);

/* The platform of the claims table that a wasmatrix runtime (runners/NAME.yaml) is, or
 * NULL when the table has none (Bun, WAMR, jco): node -> "Node.js", wasmtime ->
 * "Wasmtime", ...; a runtime not in the built-in list matches a platform of the same
 * name, ignoring case. */
const char *claims_platform(const struct claims *c, const char *runtime);
/* The claim of 'platform' for 'feature' (CLAIM_ABSENT when either is unknown). */
struct claim claims_get(const struct claims *c, const char *platform, const char *feature);
/* The feature's description ("Fixed-width SIMD"), or NULL when the table has no such key. */
const char *claims_feature_title(const struct claims *c, const char *feature);
/* A claim as the table shows it: the version, "flag", "yes", "no", "n/a" or "none"
 * (absent). Static or borrowed. */
const char *claims_text(const struct claim *cl);

#endif
