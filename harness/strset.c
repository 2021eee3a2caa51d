/* strset.c - see strset.h. */
#include "strset.h"
#include "now.h"
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                   \
	do {                                                                       \
		v0 += v1, v1 = ROTL(v1, 13), v1 ^= v0, v0 = ROTL(v0, 32);          \
		v2 += v3, v3 = ROTL(v3, 16), v3 ^= v2;                             \
		v0 += v3, v3 = ROTL(v3, 21), v3 ^= v0;                             \
		v2 += v1, v1 = ROTL(v1, 17), v1 ^= v2, v2 = ROTL(v2, 32);          \
	} while (0)

/* SipHash-1-3 (one compression round, three finalisation rounds) of p[0..n). */
static uint64_t strset_siphash13(uint64_t k0, uint64_t k1, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL,
		 v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)n << 56;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t m = 0;
		for (int j = 7; j >= 0; j--)
			m = (m << 8) | s[i + (size_t)j];
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (int j = 0; i + (size_t)j < n; j++)
		b |= (uint64_t)s[i + (size_t)j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void strset_init(struct strset *s)
{
	memset(s, 0, sizeof *s);
}

void strset_release(struct strset *s)
{
	free(s->slots);
	strset_init(s);
}

static bool strset_key_eq(const struct strset_slot *e, const char *key, size_t len)
{
	return e->len == len && (len == 0 || memcmp(e->key, key, len) == 0);
}

/* The slot holding key, or the empty slot where it would go (hashed sets only). */
static struct strset_slot *strset_probe(const struct strset *s, const char *key, size_t len, uint64_t h)
{
	size_t mask = s->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct strset_slot *e = &s->slots[i];
		if (!e->key || (e->hash == h && strset_key_eq(e, key, len)))
			return e;
	}
}

static void strset_rehash(struct strset *s, size_t cap)
{
	struct strset_slot *old = s->slots;
	size_t oldcap = s->cap;
	bool was_hashed = oldcap > STRSET_SMALL;
	if (!was_hashed) {
		/* first time past the small size: draw this set's key */
		uint64_t k[2];
		if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k) {
			/* no entropy yet (early boot): still unpredictable enough to the input */
			k[0] = (uint64_t)(uintptr_t)s ^ ((uint64_t)getpid() << 32);
			k[1] = (uint64_t)(now_seconds() * 1e9) ^ (uint64_t)(uintptr_t)&k;
		}
		s->k0 = k[0];
		s->k1 = k[1];
	}
	s->slots = xcalloc(cap, sizeof *s->slots);
	s->cap = cap;
	for (size_t i = 0; i < (was_hashed ? oldcap : s->n); i++) {
		if (!old[i].key)
			continue;
		struct strset_slot e = old[i];
		if (!was_hashed)
			e.hash = strset_siphash13(s->k0, s->k1, e.key, e.len);
		*strset_probe(s, e.key, e.len, e.hash) = e;
	}
	free(old);
}

static struct strset_slot *strset_find(const struct strset *s, const char *key, size_t len, uint64_t *h)
{
	if (s->cap <= STRSET_SMALL) {
		for (size_t i = 0; i < s->n; i++)
			if (strset_key_eq(&s->slots[i], key, len))
				return &s->slots[i];
		return NULL;
	}
	*h = strset_siphash13(s->k0, s->k1, key, len);
	struct strset_slot *e = strset_probe(s, key, len, *h);
	return e->key ? e : NULL;
}

bool strset_get(const struct strset *s, const char *key, size_t len, size_t *val)
{
	uint64_t h;
	const struct strset_slot *e = strset_find(s, key, len, &h);
	if (e && val)
		*val = e->val;
	return e != NULL;
}

bool strset_set(struct strset *s, const char *key, size_t len, size_t val)
{
	uint64_t h;
	struct strset_slot *e = strset_find(s, key, len, &h);
	if (e)
		e->val = val;
	return e != NULL;
}

bool strset_add(struct strset *s, const char *key, size_t len, size_t val, size_t *old)
{
	uint64_t h = 0;
	struct strset_slot *e = strset_find(s, key, len, &h);
	if (e) {
		if (old)
			*old = e->val;
		return false;
	}
	/* small: an array filled in order; hashed: at most half full */
	if (s->cap <= STRSET_SMALL && s->n < STRSET_SMALL) {
		if (!s->slots) {
			s->slots = xcalloc(STRSET_SMALL, sizeof *s->slots);
			s->cap = STRSET_SMALL;
		}
		s->slots[s->n++] = (struct strset_slot){ key ? key : "", len, val, 0 };
		return true;
	}
	if (s->cap <= STRSET_SMALL || 2 * (s->n + 1) > s->cap) {
		strset_rehash(s, s->cap <= STRSET_SMALL ? 4 * STRSET_SMALL : 2 * s->cap);
		h = strset_siphash13(s->k0, s->k1, key, len);
	}
	*strset_probe(s, key, len, h) = (struct strset_slot){ key ? key : "", len, val, h };
	s->n++;
	return true;
}
