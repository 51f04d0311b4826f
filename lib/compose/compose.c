#include "compose/compose.h"
#include "compose/scalar.h"
#include "util/err.h"
#include "util/file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MERGE_TAG "tag:yaml.org,2002:merge"
/* Merge keys may chain (a merged mapping merging another); deeper than this
 * is either a cycle (libyaml lets `&a {<<: *a}` refer to itself) or abuse. */
#define MAX_MERGE_DEPTH 32
/* Mapping pairs and merged mappings we are willing to visit in total,
 * aliases counted each time they are reached: a few levels of
 * `<<: [*a, *a, ...]` would otherwise expand exponentially. */
#define MAX_WORK 200000

struct walk {
	yaml_document_t *doc;
	size_t work_left;
	struct ds_compose_info *out;
	size_t cap;
};

static yaml_node_t *node_at(struct walk *w, int index)
{
	return yaml_document_get_node(w->doc, index);
}

static int spend(struct walk *w)
{
	if (w->work_left == 0)
		return ds_err(-E2BIG, "the compose file expands to more than %d mapping entries "
			      "through aliases and merges", MAX_WORK);
	w->work_left--;
	return 0;
}

static bool has_tag(const yaml_node_t *n, const char *tag)
{
	return n->tag && strcmp((const char *)n->tag, tag) == 0;
}

/* A scalar that every resolver reads as a string; its text in *s, *len. */
static bool is_scalar_tagged(const yaml_node_t *n, const char *tag)
{
	return n && n->type == YAML_SCALAR_NODE && has_tag(n, tag);
}

/* Plain and untagged (libyaml gives such a scalar the str tag): its type
 * comes from its text. */
static bool is_plain(const yaml_node_t *n)
{
	return is_scalar_tagged(n, YAML_STR_TAG) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool is_null(const yaml_node_t *n)
{
	return is_scalar_tagged(n, YAML_NULL_TAG) ||
	       (is_plain(n) && ds_yaml_plain_is_null((const char *)n->data.scalar.value,
						     n->data.scalar.length));
}

static bool is_merge_key(const yaml_node_t *k)
{
	return is_scalar_tagged(k, MERGE_TAG) ||
	       (is_plain(k) && k->data.scalar.length == 2 && memcmp(k->data.scalar.value, "<<", 2) == 0);
}

/* A scalar that every resolver reads as a string; its text in *s, *len. */
static bool string_scalar(const yaml_node_t *n, const char **s, size_t *len)
{
	if (!is_scalar_tagged(n, YAML_STR_TAG))
		return false;
	*s = (const char *)n->data.scalar.value;
	*len = n->data.scalar.length;
	return !is_plain(n) || ds_yaml_plain_is_string(*s, *len);
}

static bool key_is(const yaml_node_t *k, const char *name)
{
	const char *s;
	size_t len;

	return string_scalar(k, &s, &len) && len == strlen(name) && memcmp(s, name, len) == 0;
}

typedef int (*visit_fn)(struct walk *w, yaml_node_t *map, int depth, void *ctx);

/* Calls fn on each mapping a merge key's value brings in: one mapping, or a
 * sequence of mappings. Anything else cannot be resolved, so we cannot know
 * what it hides. */
static int visit_merged(struct walk *w, yaml_node_pair_t *merge, int depth, visit_fn fn, void *ctx)
{
	yaml_node_t *value = node_at(w, merge->value);
	size_t n = 1;
	int r;

	if (depth >= MAX_MERGE_DEPTH)
		return ds_err(-ELOOP, "'<<' merge keys nested deeper than %d (a cycle?)",
			      MAX_MERGE_DEPTH);
	if (value && value->type == YAML_SEQUENCE_NODE)
		n = (size_t)(value->data.sequence.items.top - value->data.sequence.items.start);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *src = value;

		r = spend(w);   /* an empty mapping merged costs work too */
		if (r)
			return r;
		if (value && value->type == YAML_SEQUENCE_NODE)
			src = node_at(w, value->data.sequence.items.start[i]);
		if (!src || src->type != YAML_MAPPING_NODE)
			return ds_err(-EOPNOTSUPP, "a '<<' merge key at line %zu does not refer to "
				      "a mapping", node_at(w, merge->key)->start_mark.line + 1);
		r = fn(w, src, depth + 1, ctx);
		if (r)
			return r;
	}
	return 0;
}

struct lookup {
	const char *name;
	yaml_node_t *found;
};

/* Looks a key up as YAML merge semantics define it: the mapping's own key
 * first (twice is an error), then the merged mappings in order. */
static int lookup_in(struct walk *w, yaml_node_t *map, int depth, void *ctx)
{
	struct lookup *l = ctx;
	yaml_node_pair_t *p;
	int r;

	if (l->found)
		return 0;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		r = spend(w);
		if (r)
			return r;
		if (!key_is(node_at(w, p->key), l->name))
			continue;
		if (l->found)
			return ds_err(-EOPNOTSUPP, "duplicate key '%s' at line %zu", l->name,
				      node_at(w, p->key)->start_mark.line + 1);
		l->found = node_at(w, p->value);
	}
	for (p = map->data.mapping.pairs.start; !l->found && p < map->data.mapping.pairs.top; p++) {
		if (!is_merge_key(node_at(w, p->key)))
			continue;
		r = visit_merged(w, p, depth, lookup_in, l);
		if (r)
			return r;
	}
	return 0;
}

static int find_key(struct walk *w, yaml_node_t *map, const char *name, yaml_node_t **found)
{
	struct lookup l = { .name = name };
	int r = lookup_in(w, map, 0, &l);

	*found = l.found;
	return r;
}

static int check_no_extends(struct walk *w, const char *service, yaml_node_t *body)
{
	yaml_node_t *extends;
	int r;

	if (!body || body->type != YAML_MAPPING_NODE)
		return 0;
	r = find_key(w, body, "extends", &extends);
	if (r)
		return ds_err_ctx(r, "in service '%s'", service);
	if (extends && !is_null(extends))
		return ds_err(-EOPNOTSUPP, "service '%s' uses 'extends', which this tool does not "
			      "resolve", service);
	return 0;
}

static int add_service(struct walk *w, yaml_node_t *key, yaml_node_t *body)
{
	struct ds_compose_info *out = w->out;
	const char *s;
	size_t len;
	char *name;
	int r;

	if (!string_scalar(key, &s, &len)) {
		if (key && key->type == YAML_SCALAR_NODE)
			return ds_err(-EOPNOTSUPP, "service key '%.*s' at line %zu is not a YAML "
				      "string (quote it)", (int)key->data.scalar.length,
				      key->data.scalar.value, key->start_mark.line + 1);
		return ds_err(-EOPNOTSUPP, "a service key at line %zu is not a scalar",
			      key ? key->start_mark.line + 1 : 0);
	}
	if (memchr(s, '\0', len))
		return ds_err(-EOPNOTSUPP, "a service name at line %zu contains a NUL character",
			      key->start_mark.line + 1);
	name = strndup(s, len);
	if (!name)
		return ds_err(-ENOMEM, "out of memory");
	r = check_no_extends(w, name, body);
	if (r == 0 && out->n_services == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		char **grown = realloc(out->services, cap * sizeof(*grown));

		if (!grown)
			r = ds_err(-ENOMEM, "out of memory");
		else {
			out->services = grown;
			w->cap = cap;
		}
	}
	if (r) {
		free(name);
		return r;
	}
	out->services[out->n_services++] = name;
	return 0;
}

/* Every key of the services mapping is a service, including those a `<<`
 * merge key brings in (upstream would miss them and delete their
 * containers). */
static int collect_in(struct walk *w, yaml_node_t *map, int depth, void *ctx)
{
	int r;

	(void)ctx;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *key = node_at(w, p->key);

		r = spend(w);
		if (r == 0)
			r = is_merge_key(key) ? visit_merged(w, p, depth, collect_in, NULL)
					      : add_service(w, key, node_at(w, p->value));
		if (r)
			return r;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(struct ds_compose_info *out)
{
	size_t kept = 0;

	if (out->n_services == 0)
		return;
	qsort(out->services, out->n_services, sizeof(char *), cmp_names);
	for (size_t i = 0; i < out->n_services; i++) {
		if (kept && strcmp(out->services[kept - 1], out->services[i]) == 0)
			free(out->services[i]);
		else
			out->services[kept++] = out->services[i];
	}
	out->n_services = kept;
}

static int read_project_name(struct walk *w, yaml_node_t *root)
{
	yaml_node_t *name;
	const char *s;
	size_t len;
	int r;

	r = find_key(w, root, "name", &name);
	if (r || !name || is_null(name))
		return r;
	if (!string_scalar(name, &s, &len))
		return ds_err(-EOPNOTSUPP, "the top-level 'name' at line %zu is not a YAML string "
			      "(quote it)", name->start_mark.line + 1);
	if (memchr(s, '\0', len))
		return ds_err(-EOPNOTSUPP, "the project name contains a NUL character");
	w->out->project = strndup(s, len);
	return w->out->project ? 0 : ds_err(-ENOMEM, "out of memory");
}

static int read_document(yaml_document_t *doc, struct ds_compose_info *out)
{
	struct walk w = { .doc = doc, .work_left = MAX_WORK, .out = out };
	yaml_node_t *root = yaml_document_get_root_node(doc), *include, *services;
	int r;

	if (!root)
		return ds_err(-ENODATA, "empty YAML document");
	if (root->type != YAML_MAPPING_NODE)
		return ds_err(-EINVAL, "missing or invalid 'services' field");
	r = find_key(&w, root, "include", &include);
	if (r)
		return r;
	if (include && !is_null(include))
		return ds_err(-EOPNOTSUPP, "the compose file uses 'include', which may bring in "
			      "services from other files");
	r = read_project_name(&w, root);
	if (r)
		return r;
	r = find_key(&w, root, "services", &services);
	if (r)
		return r;
	if (!services || services->type != YAML_MAPPING_NODE)
		return ds_err(-EINVAL, "missing or invalid 'services' field");
	r = collect_in(&w, services, 0, NULL);
	if (r)
		return r;
	sort_unique(out);
	if (out->n_services == 0)
		return ds_err(-EOPNOTSUPP, "the compose file defines no services: every container "
			      "of the project would be removed");
	return 0;
}

static int parse_error(const yaml_parser_t *p)
{
	ds_err(-EINVAL, "%s at line %zu column %zu", p->problem ? p->problem : "syntax error",
	       p->problem_mark.line + 1, p->problem_mark.column + 1);
	return ds_err_ctx(-EINVAL, "failed to parse YAML");
}

/* Compose reads every document of a file (later ones as overrides); a second
 * document could add services we would not see. */
static int check_single_document(yaml_parser_t *p)
{
	yaml_document_t next;
	yaml_node_t *root;
	int r = 0;

	if (!yaml_parser_load(p, &next))
		return parse_error(p);
	root = yaml_document_get_root_node(&next);
	if (root && !is_null(root))
		r = ds_err(-EOPNOTSUPP, "the compose file holds more than one YAML document");
	yaml_document_delete(&next);
	return r;
}

int ds_compose_parse(const void *text, size_t len, struct ds_compose_info *out)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int r;

	*out = (struct ds_compose_info){ 0 };
	if (!yaml_parser_initialize(&parser))
		return ds_err(-ENOMEM, "out of memory");
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		r = parse_error(&parser);
		goto out_parser;
	}
	r = read_document(&doc, out);
	if (r == 0)
		r = check_single_document(&parser);
	if (r == -EOPNOTSUPP || r == -ELOOP || r == -E2BIG)
		ds_err_ctx(r, "refusing to remove anything: the service set could be incomplete");
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	if (r)
		ds_compose_info_free(out);
	return r;
}

/* The last component of the directory holding the file, links resolved. */
static int project_from_directory(const char *path, char **project)
{
	char *real = realpath(path, NULL), *slash, *start;
	int r = 0;

	if (!real) {
		r = -errno;
		ds_err(r, "%s: %s", path, strerror(errno));
		return ds_err_ctx(r, "failed to canonicalize compose file");
	}
	slash = strrchr(real, '/');
	*slash = '\0';
	start = strrchr(real, '/');
	if (!start || !start[1])
		r = ds_err(-EINVAL, "failed to get file name of compose file");
	else if (!(*project = strdup(start + 1)))
		r = ds_err(-ENOMEM, "out of memory");
	free(real);
	return r;
}

int ds_compose_load(const char *path, struct ds_compose_info *out)
{
	struct ds_buf text = { 0 };
	int r;

	*out = (struct ds_compose_info){ 0 };
	r = ds_read_file(path, DS_COMPOSE_MAX_SIZE, &text);
	if (r)
		return ds_err_ctx(r, "failed to read docker-compose file");
	r = ds_compose_parse(text.data, text.len, out);
	if (r == 0 && !out->project)
		r = project_from_directory(path, &out->project);
	ds_buf_free(&text);
	if (r)
		ds_compose_info_free(out);
	return r;
}

int ds_compose_has_service(const struct ds_compose_info *info, const char *name)
{
	return info->n_services &&
	       bsearch(&name, info->services, info->n_services, sizeof(char *), cmp_names) != NULL;
}

void ds_compose_info_free(struct ds_compose_info *info)
{
	for (size_t i = 0; i < info->n_services; i++)
		free(info->services[i]);
	free(info->services);
	free(info->project);
	*info = (struct ds_compose_info){ 0 };
}
