/* features_json.c - `wasmatrix features --format json`: the measured matrix and its diff
 * against the claims as a document (schema wasmatrix-features, version 1,
 * docs/features.md), an artefact nightly runs can keep and compare. */
#include "featmatrix.h"
#include "report.h"

#include <string.h>

static json_t *claim_json(const struct claim *c)
{
	json_t *v = c->kind == CLAIM_VERSION ? json_string(c->version) : c->kind == CLAIM_FLAG ? json_string("flag") :
		    c->kind == CLAIM_YES ? json_true() : c->kind == CLAIM_NO ? json_false() : json_null();
	return json_pack("{s:s, s:o, s:s?}", "kind", c->kind == CLAIM_ABSENT ? "absent" : c->kind == CLAIM_NA ? "null" :
			 "claim", "value", v, "note", c->note);
}

static json_t *cell_json(const struct featmatrix *fm, size_t f, size_t r)
{
	const struct fm_cell *c = &fm->fs[f].cells[r];
	json_t *j = json_pack("{s:s, s:s?, s:I, s:s}", "cell", fcell_name(c->cell), "message", c->msg,
			      "flag_probes", (json_int_t)c->nflag, "diff", fdiff_info(c->diff)->name);
	if (fm->rts[r].platform)
		json_object_set_new(j, "claim", claim_json(&c->claim));
	return j;
}

static json_t *features_arr(const struct featmatrix *fm)
{
	json_t *a = json_array();
	for (size_t f = 0; f < fm->nfs; f++) {
		json_t *cells = json_object();
		for (size_t r = 0; r < fm->nrts; r++)
			json_object_set_new(cells, fm->rts[r].name, cell_json(fm, f, r));
		json_array_append_new(a, json_pack("{s:s, s:s?, s:I, s:o}", "key", fm->fs[f].key, "title",
						   fm->fs[f].title, "probes", (json_int_t)fm->fs[f].ntests, "cells", cells));
	}
	return a;
}

static json_t *disagreements(const struct featmatrix *fm)
{
	json_t *a = json_array();
	for (size_t f = 0; f < fm->nfs; f++)
		for (size_t r = 0; r < fm->nrts; r++) {
			const struct fm_cell *c = &fm->fs[f].cells[r];
			if (!fdiff_info(c->diff)->disagrees)
				continue;
			struct buf l = BUF_INIT;
			featmatrix_diff_line(fm, f, r, &l);
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "feature", fm->fs[f].key,
							   "runtime", fm->rts[r].name, "version", fm->rts[r].version, "kind",
							   fdiff_info(c->diff)->name, "claim", claim_json(&c->claim),
							   "measured", fcell_name(c->cell), "text", l.data));
			buf_release(&l);
		}
	return a;
}

json_t *features_json(const struct featmatrix *fm)
{
	json_t *rts = json_array(), *missing = json_array();
	for (size_t r = 0; r < fm->nrts; r++)
		json_array_append_new(rts, json_pack("{s:s, s:s, s:s?}", "name", fm->rts[r].name, "version",
						     fm->rts[r].version, "platform", fm->rts[r].platform));
	for (size_t i = 0; i < fm->missing.n; i++)
		json_array_append_new(missing, json_string(fm->missing.v[i]));
	json_t *j = json_pack("{s:s, s:i, s:{s:s, s:s}, s:s?, s:o, s:o, s:o}", "schema", "wasmatrix-features",
			      "version", 1, "results", "path", fm->results_path, "run", fm->run_id, "claims",
			      fm->has_claims ? fm->claims.path : NULL, "runtimes", rts, "not_found", missing, "features",
			      features_arr(fm));
	json_object_set_new(j, "disagreements", fm->has_claims ? disagreements(fm) : json_null());
	return j;
}

int features_json_render(const struct featmatrix *fm, const struct features_opts *o, FILE *f, char **err)
{
	(void)o;
	return report_json_out(features_json(fm), f, err);
}
