/* trimmed.c - the graph a report draws: report.go newTrimmedGraph (the graph built, nodes under
 * -nodefraction discarded, sorted, cut to -nodecount, edges under -edgefraction dropped) and
 * selectOutputUnit. The graph operations it calls are graph/'s (graph.go).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void gopts_of(pk_rpt *r, pk_gopts *out, const pk_nodeset *kept, bool tags, bool no_edges)
{
	pk_gopts o = {0};
	o.value_index = r->value_index;
	o.mean = r->mean;
	o.obj_names = r->fmt == PK_FMT_RAW || r->fmt == PK_FMT_LIST;
	o.call_tree = r->call_tree && (r->fmt == PK_FMT_DOT || r->fmt == PK_FMT_SVG);
	o.drop_negative = r->drop_negative;
	o.tags = tags;
	o.tag_unit = r->output_unit;
	pk_sid bytes = pk_strtab_lookup(&r->p->strs, "bytes", 5);
	o.bytes_unit = bytes == PK_NONE ? NULL : pk_rpt_num_label_unit(r, bytes);
	o.trim_path = r->opt->trim_path;
	o.source_path = r->opt->source_path;
	o.kept = kept;
	o.no_edges = no_edges;
	/* top reads edges only for its inline marks (text and structured alike) */
	o.inline_edges_only = r->fmt == PK_FMT_TOP && !o.call_tree;
	*out = o;
}

/* newGraph over the nodes in kept (NULL: all); tags only when asked (a call tree's). */
static pk_status graph_with(pk_rpt *r, pk_graph **out, const pk_nodeset *kept, bool tags,
                            bool no_edges)
{
	pk_gopts o;
	gopts_of(r, &o, kept, tags, no_edges);
	return pk_graph_new(r->ctx, out, r->p, &o);
}

/* The tags of the first n nodes of g's order (dot and svg draw them). */
static pk_status tag_first(pk_rpt *r, pk_graph *g, uint32_t n)
{
	pk_gopts o;
	gopts_of(r, &o, NULL, true, false);
	bool *want = pk_calloc(g->n_node_all ? g->n_node_all : 1, sizeof *want);
	if (!want)
		return pk_oom(r->ctx);
	for (uint32_t i = 0; i < n && i < g->n_nodes; i++)
		want[g->nodes[i]] = true;
	pk_status st = pk_graph_add_tags(r->ctx, g, &o, want);
	pk_free(want);
	return st;
}

pk_status pk_rpt_trimmed_graph(pk_rpt *r, pk_graph **out, int *orig_count, int *dropped_nodes,
                               int *dropped_edges)
{
	pk_ctx *ctx = r->ctx;
	pk_graph *g = NULL, *g2;
	pk_nodeset kept = {0}, built = {0}; /* built: the nodes g was built over, lazily */
	bool built_all = true;
	bool *keep = NULL;
	uint32_t kept_n;
	pk_status st;
	bool visual = r->fmt == PK_FMT_DOT || r->fmt == PK_FMT_SVG;
	*out = NULL;
	*dropped_nodes = *dropped_edges = 0;

	/* Tags are what a visual graph costs most: a hash entry per node, label set and sample.
	 * pprof builds them on each of the (up to three) graphs; of those, only the tags of the
	 * first nodecount nodes of the sorted second graph (the visual node budget looks no
	 * further) and of the final graph's nodes are ever read. A node's tags depend only on the
	 * samples through it, so here the graphs are built without tags, pk_graph_add_tags gives
	 * those first nodes theirs in one pass, and the final graph, whose nodes are among them,
	 * takes theirs from there (pk_graph_copy_tags). A call tree is trimmed in place: it is
	 * built with them. */
	bool tree_fmt = r->call_tree && visual;
	/* top reads edges only for the inline marks of the nodes it prints: the graphs it sorts
	 * and cuts are built without them, only the last one with them (when nothing can be cut,
	 * the first graph is the last). */
	bool lazy = r->fmt == PK_FMT_TOP && !visual && (r->nodecount > 0 || r->nodefraction > 0);
	if ((st = graph_with(r, &g, NULL, tree_fmt, lazy)) != PK_OK)
		return st;
	bool edged = !lazy; /* g has its edges */
	bool tree = g->tree;
	int64_t total = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++)
		total = pk_wadd(total, g->node[g->nodes[i]].flat);
	int64_t node_cutoff = pk_wabs(pk_go_f2i((double)total * r->nodefraction));
	int64_t edge_cutoff = pk_wabs(pk_go_f2i((double)total * r->edgefraction));

	if (node_cutoff > 0 && tree) {
		if (!(keep = pk_graph_keep_first_ptrs(g, g->n_nodes, node_cutoff, &kept_n)))
			goto oom;
		if (kept_n != g->n_nodes) {
			*dropped_nodes = (int)(g->n_nodes - kept_n);
			if ((st = pk_graph_trim_tree(ctx, g, keep)) != PK_OK)
				goto fail;
		}
		pk_free(keep);
		keep = NULL;
	} else if (node_cutoff > 0) {
		if ((st = pk_graph_keep_first(ctx, g, g->n_nodes, node_cutoff, &kept)) != PK_OK)
			goto fail;
		if (kept.n != g->n_nodes) {
			*dropped_nodes = (int)(g->n_nodes - kept.n);
			if (lazy && r->nodecount > 0) {
				/* Without edges, the graph over kept is g less the other nodes: a
				 * kept node's flat and cum depend only on the samples through it
				 * (flat: its frame is the leaf), and the kept nodes are made in the
				 * same order by the same walk. So g is cut, not built again. */
				uint32_t w = 0;
				for (uint32_t i = 0; i < g->n_nodes; i++)
					if (pk_nodeset_has(&kept, &g->node[g->nodes[i]].info))
						g->nodes[w++] = g->nodes[i];
				g->n_nodes = w;
				built = kept;
				built_all = false;
				kept = (pk_nodeset){0};
			} else { /* (top without -nodecount: the last graph, with its edges) */
				if ((st = graph_with(r, &g2, &kept, false, false)) != PK_OK)
					goto fail;
				pk_graph_free(g);
				g = g2;
				edged = true;
			}
		}
		pk_nodeset_destroy(&kept);
	}
	*orig_count = (int)g->n_nodes;

	if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
		goto fail;
	bool add_tags = visual && !tree; /* tags still to be given to the final nodes */
	if (r->nodecount > 0) {
		if (add_tags && (st = tag_first(r, g, (uint32_t)r->nodecount)) != PK_OK)
			goto fail;
		/* Low-frequency tags and edges go first: they weigh on the selection. */
		pk_graph_trim_low_freq_tags(g, node_cutoff);
		pk_graph_trim_low_freq_edges(g, edge_cutoff);
		uint32_t max = (uint32_t)r->nodecount;
		if (visual) /* tags count towards the budget */
			max = pk_graph_visual_node_budget(g, max);
		if (max > g->n_nodes)
			max = g->n_nodes;
		if (max != g->n_nodes && tree) {
			if (!(keep = pk_graph_keep_first_ptrs(g, max, 0, &kept_n)))
				goto oom;
			if ((st = pk_graph_trim_tree(ctx, g, keep)) != PK_OK)
				goto fail;
			pk_free(keep);
			keep = NULL;
			if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
				goto fail;
		} else if (max != g->n_nodes) {
			if ((st = pk_graph_keep_first(ctx, g, max, 0, &kept)) != PK_OK)
				goto fail;
			if ((st = graph_with(r, &g2, &kept, false, false)) != PK_OK)
				goto fail;
			edged = true;
			pk_nodeset_destroy(&kept);
			/* Its nodes are among the first nodecount of g, which have their tags,
			 * trimmed above by the cutoff the final trim below uses. */
			if (add_tags && (st = pk_graph_copy_tags(ctx, g2, g, max)) != PK_OK) {
				pk_graph_free(g2);
				goto fail;
			}
			add_tags = false;
			pk_graph_free(g);
			g = g2;
			if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
				goto fail;
		} else {
			/* Every node of g has its tags: g->n_nodes <= nodecount. */
			add_tags = false;
		}
	}
	if (!edged) { /* top: the same graph again, with its edges */
		if ((st = graph_with(r, &g2, built_all ? NULL : &built, false, false)) != PK_OK)
			goto fail;
		pk_graph_free(g);
		g = g2;
		if ((st = pk_graph_sort_nodes(ctx, g, r->cum_sort, visual)) != PK_OK)
			goto fail;
	}
	if (add_tags && (st = tag_first(r, g, g->n_nodes)) != PK_OK)
		goto fail;
	pk_graph_trim_low_freq_tags(g, node_cutoff);
	*dropped_edges = pk_graph_trim_low_freq_edges(g, edge_cutoff);
	if (visual && (st = pk_graph_remove_redundant_edges(ctx, g)) != PK_OK)
		goto fail;
	if (g->oom)
		goto oom;
	pk_nodeset_destroy(&built);
	*out = g;
	return PK_OK;
oom:
	st = pk_oom(ctx);
fail:
	pk_free(keep);
	pk_nodeset_destroy(&kept);
	pk_nodeset_destroy(&built);
	pk_graph_free(g);
	return st;
}

void pk_rpt_select_output_unit(pk_rpt *r, pk_graph *g)
{
	if (strcmp(r->output_unit, "minimum") != 0 || g->n_nodes == 0)
		return;
	int64_t min = 0;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		const pk_gnode *n = &g->node[g->nodes[i]];
		int64_t m = pk_wabs(pk_node_flat(n));
		if (m == 0)
			m = pk_wabs(pk_node_cum(n));
		if (m > 0 && (min == 0 || m < min))
			min = m;
	}
	int64_t max = r->total;
	if (min == 0)
		min = max;
	if (r->ratio > 0 && r->ratio != 1) {
		min = pk_go_f2i((double)min * r->ratio);
		max = pk_go_f2i((double)max * r->ratio);
	}
	const char *min_unit, *max_unit, *unit;
	pk_scale(min, r->sample_unit, "minimum", &min_unit);
	pk_scale(max, r->sample_unit, "minimum", &max_unit);
	unit = min_unit;
	if (strcmp(min_unit, max_unit) != 0 && pk_wmul(min, 100) < max) /* Go's product wraps */
		pk_scale(pk_wmul(100, min), r->sample_unit, "minimum", &unit);
	snprintf(r->output_unit_buf, sizeof r->output_unit_buf, "%s",
	         unit[0] ? unit : r->sample_unit);
	r->output_unit = r->output_unit_buf;
}
