/* wasm_fuzz.c - libFuzzer target for the WebAssembly reader (harness/wasm.c): any input
 * must give either a module or an error message, never a crash, a leak, undefined
 * behaviour or a hang. Built and run by scripts/fuzz.sh. */
#include "wasm.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wasm_module m;
	char *err = NULL;
	int rc = wasm_parse(&m, data, size, &err);
	if ((rc < 0) != (err != NULL))
		abort();	/* an error always comes with its message */
	for (int f = 0; f < WF__COUNT; f++)
		if (m.features[f].count && !m.features[f].first)
			abort();
	wasm_module_release(&m);
	free(err);
	return 0;
}
