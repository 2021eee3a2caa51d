/* check_json.c - `wasmatrix check --format json`: the check (check.h) as schema
 * "wasmatrix-check" version 1 (docs/check.md); its "module" is inspect's JSON. */
#include "check.h"
#include "report.h"
#include "results_write.h"

#include <stdlib.h>
#include <string.h>

static json_t *behaviour_json(const struct result *r, enum check_state st)
{
	json_t *j = json_object();
	json_object_set_new(j, "state", json_string(check_state_name(st)));
	json_object_set_new(j, "exit_code", r->exit_code >= 0 ? json_integer(r->exit_code) : json_null());
	json_object_set_new(j, "stdout", results_bytes(r->out ? r->out : "", r->outn));
	json_object_set_new(j, "stderr", results_bytes(r->err ? r->err : "", r->errn));
	json_object_set_new(j, "files_digest", r->files_digest ? json_string(r->files_digest) : json_null());
	json_object_set_new(j, "reason", r->reason ? results_bytes(r->reason, strlen(r->reason)) : json_null());
	json_object_set_new(j, "duration", json_real(r->duration));
	json_object_set_new(j, "command", r->command ? results_bytes(r->command, strlen(r->command)) : json_null());
	return j;
}

/* The guest's arguments, environment, preopens, stdin size and timeout. */
static json_t *invocation_json(const struct check_report *cr)
{
	const struct test *t = cr->run.tests[0];
	json_t *env = json_object(), *args = json_array(), *dirs = json_array();
	for (size_t i = 0; i < t->args.n; i++)
		json_array_append_new(args, results_bytes(t->args.v[i], strlen(t->args.v[i])));
	for (size_t i = 0; i < t->nenv; i++)
		json_object_set_new(env, t->env[i].key, results_bytes(t->env[i].value, strlen(t->env[i].value)));
	for (size_t i = 0; i < t->ndirs; i++)
		json_array_append_new(dirs, json_pack("{s:s, s:s}", "host", t->dirs[i].host, "guest", t->dirs[i].guest));
	return json_pack("{s:o, s:o, s:o, s:I, s:f}", "args", args, "env", env, "dirs", dirs, "stdin_bytes",
			 (json_int_t)t->stdin_len, "timeout", cr->timeout);
}

static json_t *runtimes_json(const struct check_report *cr)
{
	const struct run *run = &cr->run;
	json_t *rts = json_array();
	for (size_t i = 0; i < run->nrts; i++) {
		const struct adapter *a = &run->rts[i];
		const struct check_runtime *ri = &cr->rt[i];
		json_array_append_new(rts, json_pack("{s:s, s:s, s:o, s:o, s:o, s:b}", "name", a->name, "version",
						     a->version ? a->version : "?", "group",
						     ri->group >= 0 ? json_integer(ri->group) : json_null(),
						     "state", json_string(check_state_name(ri->st)), "skipped",
						     ri->st == CHECK_SKIPPED ? json_string(run->results[i].reason) : json_null(),
						     "unsupported", ri->st == CHECK_SKIPPED &&
						     run->results[i].outcome == OUT_UNSUPPORTED));
	}
	return rts;
}

/* A runtime outside the majority: what differs, the causes, the diff, its behaviour. */
static json_t *divergence_json(const struct check_report *cr, size_t i)
{
	const struct check_runtime *ri = &cr->rt[i];
	json_t *differs = json_array(), *causes = json_array();
	for (size_t d = 0; d < ri->differs.n; d++)
		json_array_append_new(differs, json_string(ri->differs.v[d]));
	for (size_t c = 0; c < ri->ncauses; c++)
		json_array_append_new(causes, json_pack("{s:s, s:o}", "kind", ri->causes[c].kind, "detail",
							results_bytes(ri->causes[c].detail, strlen(ri->causes[c].detail))));
	return json_pack("{s:s, s:o, s:o, s:o, s:o}", "runtime", cr->run.rts[i].name, "differs", differs, "causes",
			 causes, "diff", ri->diff.len ? results_bytes(ri->diff.data, ri->diff.len) : json_null(),
			 "behaviour", behaviour_json(&cr->run.results[i], ri->st));
}

static json_t *groups_json(const struct check_report *cr)
{
	json_t *groups = json_array();
	for (size_t g = 0; g < cr->ngroups; g++) {
		const struct check_group *gr = &cr->groups[g];
		json_t *names = json_array(), *divs = json_array();
		for (size_t k = 0; k < gr->n; k++) {
			json_array_append_new(names, json_string(cr->run.rts[gr->rt[k]].name));
			if (g)
				json_array_append_new(divs, divergence_json(cr, gr->rt[k]));
		}
		json_array_append_new(groups, json_pack("{s:o, s:b, s:o, s:o}", "runtimes", names, "majority",
							g == 0 && cr->ngroups > 1, "behaviour",
							behaviour_json(&cr->run.results[gr->rt[0]], cr->rt[gr->rt[0]].st),
							"divergences", divs));
	}
	return groups;
}

int check_json_render(const struct check_report *cr, const struct check_report_opts *o, FILE *f, char **err)
{
	(void)o;
	json_t *j = json_object();
	json_object_set_new(j, "schema", json_string("wasmatrix-check"));
	json_object_set_new(j, "version", json_integer(1));
	json_object_set_new(j, "verdict", json_string(cr->ngroups == 1 ? "portable" : "not-portable"));
	json_object_set_new(j, "module", inspect_json(&cr->module));
	json_object_set_new(j, "invocation", invocation_json(cr));
	json_object_set_new(j, "runtimes", runtimes_json(cr));
	json_t *un = json_array();
	for (size_t i = 0; i < cr->unavailable.n; i++)
		json_array_append_new(un, json_string(cr->unavailable.v[i]));
	json_object_set_new(j, "unavailable", un);
	json_object_set_new(j, "groups", groups_json(cr));
	return report_json_out(j, f, err);
}
