/* inspect.c - see inspect.h: loading the model; the renderers are in reports/. */
#define _GNU_SOURCE
#include "inspect.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const inspect_import_groups[INSPECT_NGROUPS] = { "wasi_snapshot_preview1", "wasi_unstable", "env" };

bool inspect_is_group(const char *module)
{
	for (size_t i = 0; i < INSPECT_NGROUPS; i++)
		if (!strcmp(module, inspect_import_groups[i]))
			return true;
	return false;
}

size_t inspect_count_imports(const struct wasm_module *m, const char *module)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nimports; i++)
		n += !strcmp(m->imports[i].module, module);
	return n;
}

bool inspect_iface(const char *name, struct inspect_iface *f)
{
	const char *colon = strchr(name, ':'), *slash = strchr(name, '/');
	if (!colon || !slash || slash < colon || colon == name || slash == colon + 1)
		return false;
	const char *at = strchr(slash, '@');
	f->pkg = name;
	f->npkg = (size_t)(slash - name);
	f->iface = slash + 1;
	f->niface = at ? (size_t)(at - slash - 1) : strlen(slash + 1);
	f->version = at ? at + 1 : NULL;
	return f->niface > 0;
}

const char *inspect_wasi(const struct wasm_module *m)
{
	if (m->component)
		return wasm_component_wasi(m);
	if (inspect_count_imports(m, "wasi_snapshot_preview1"))
		return "preview1";
	if (inspect_count_imports(m, "wasi_unstable"))
		return "preview0";
	return NULL;
}

int inspect_load(struct inspect *in, const char *path, const char *cmd)
{
	size_t len = 0;
	char *data = fs_read_file(path, &len);
	memset(in, 0, sizeof *in);
	in->path = path;
	if (!data) {
		fprintf(stderr, "wasmatrix %s: cannot read '%s': %s\n", cmd, path, strerror(errno));
		return -1;
	}
	int rc = wasm_parse(&in->m, (const unsigned char *)data, len, &in->err);
	bool header = len >= 8 && wasm_is_wasm((const unsigned char *)data, len) &&
		(in->m.version == 1 || in->m.layer == 1);
	free(data);
	if (rc == 0)
		return 0;
	if (!header) {
		fprintf(stderr, "wasmatrix %s: %s: error: %s\n", cmd, path, in->err);
		inspect_release(in);
		return -1;
	}
	return 1;
}

void inspect_release(struct inspect *in)
{
	wasm_module_release(&in->m);
	free(in->err);
	in->err = NULL;
}
