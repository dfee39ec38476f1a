// Prototypes in the live board's state: loaded once, then kept right by the session's events.
//
// Tablets and the console load them from GET /api/workshops/<id>/prototypes; the projector
// (which that API does not let in) folds the session's log instead. Events that arrive while
// a load is in flight are applied and remembered, then replayed on top of the loaded copy.
// Every event is safe to apply twice or on top of a newer copy: a field takes a text only
// with a higher version, feedback is kept by id, links by id or by note/theme, and the last
// status wins. That is what lets sync, reconnects and acks all meet the same state.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});

  Ponte.CANVAS = [
    ["title", t("Title"), 200], ["problem", t("The problem, here"), 4000], ["affected", t("Who is affected"), 2000],
    ["idea", t("The idea"), 4000], ["how_it_works", t("How it would work, step by step"), 4000],
    ["actors", t("Who must act"), 2000], ["resources", t("What it needs"), 2000], ["first_steps", t("First steps"), 2000],
    ["risks", t("Risks"), 2000], ["success_measure", t("How we would know it works"), 2000],
  ];

  function linkKey(link) { return link.post_id ? "post:" + link.post_id : "cluster:" + link.cluster_id; }

  // A described prototype (API, acks, prototype_created) as the state keeps it.
  function record(p, previous) {
    var ids = new Map((previous ? previous.links : []).map(function (l) { return [linkKey(l), l.id]; }));
    var links = p.linked_post_ids.map(function (id) { return { id: null, post_id: id, cluster_id: null }; })
      .concat(p.linked_cluster_ids.map(function (id) { return { id: null, post_id: null, cluster_id: id }; }));
    links.forEach(function (l) { l.id = ids.get(linkKey(l)) || null; });
    return {
      id: p.id, session_id: p.session_id, group_id: p.group_id,
      fields: Object.assign({}, p.fields), versions: Object.assign({}, p.versions),
      status: p.status, status_reason: p.status_reason || "", links: links,
      feedback: (p.feedback || []).slice(), authors: previous ? previous.authors : {},
    };
  }

  function takeNewerFields(rec, p, author) {
    Object.keys(p.versions).forEach(function (f) {
      if ((p.versions[f] || 0) > (rec.versions[f] || 0)) {
        rec.fields[f] = p.fields[f] || "";
        rec.versions[f] = p.versions[f];
        if (author) rec.authors[f] = author;
      }
    });
  }

  function upsertFeedback(rec, feedback) {
    var index = rec.feedback.findIndex(function (f) { return f.id === feedback.id; });
    if (index >= 0) rec.feedback[index] = feedback; else rec.feedback.push(feedback);
    rec.feedback.sort(function (a, b) { return a.id - b.id; });
  }

  // A newer whole copy of one prototype (an ack whose event is not applied yet).
  function merge(map, p) {
    var rec = map.get(p.id);
    if (!rec) { map.set(p.id, record(p)); return; }
    var fresh = record(p, rec);
    takeNewerFields(rec, p);
    rec.status = fresh.status;
    rec.status_reason = fresh.status_reason;
    rec.links = fresh.links;
    fresh.feedback.forEach(function (f) { upsertFeedback(rec, f); });
  }

  // The events, applied to a map of prototypes; onUnknownLink(): an unlink we cannot place.
  function applier(onUnknownLink, onField) {
    return {
      prototype_created: function (map, d) { if (!map.has(d.prototype.id)) map.set(d.prototype.id, record(d.prototype)); },
      prototype_restored: function (map, d) {
        var rec = map.get(d.prototype.id);
        if (!rec) { map.set(d.prototype.id, record(d.prototype)); return; }
        takeNewerFields(rec, d.prototype, t("the trainer (an older version)"));
        if (onField) onField(rec.id);
      },
      prototype_field_updated: function (map, d) {
        var rec = map.get(d.prototype_id);
        if (!rec || d.version <= (rec.versions[d.field] || 0)) return;
        rec.fields[d.field] = d.text;
        rec.versions[d.field] = d.version;
        rec.authors[d.field] = d.author ? d.author.name : "";
        if (onField) onField(rec.id);
      },
      prototype_linked: function (map, d) {
        var rec = map.get(d.prototype_id);
        if (!rec) return;
        var same = rec.links.find(function (l) { return l.id === d.link.id || linkKey(l) === linkKey(d.link); });
        if (same) same.id = d.link.id;
        else rec.links.push({ id: d.link.id, post_id: d.link.post_id, cluster_id: d.link.cluster_id });
      },
      prototype_unlinked: function (map, d) {
        var rec = map.get(d.prototype_id);
        if (!rec) return;
        var index = rec.links.findIndex(function (l) { return l.id === d.link_id; });
        if (index >= 0) rec.links.splice(index, 1);
        else if (rec.links.some(function (l) { return l.id === null; }) && onUnknownLink) onUnknownLink();
      },
      feedback_given: function (map, d) {
        var rec = map.get(d.feedback.prototype_id);
        if (rec) upsertFeedback(rec, d.feedback);
      },
      // The theme's links went with it (the database cascades; no event of their own).
      cluster_removed: function (map, d) {
        map.forEach(function (rec) {
          rec.links = rec.links.filter(function (l) { return l.cluster_id !== d.cluster_id; });
        });
      },
      prototype_status_changed: function (map, d) {
        var rec = map.get(d.prototype_id);
        if (rec) { rec.status = d.status; rec.status_reason = d.reason || ""; }
      },
    };
  }

  // ctx: {state, mode, headers, request(type, payload) -> Promise<ack>, changed(), emit(name, arg)}
  Ponte.prototypeStore = function (ctx) {
    var state = ctx.state;
    var loading = false;
    var again = false;
    var buffer = [];
    var attempt = 0;
    var apply = applier(function () { load(); }, function (id) { ctx.emit("prototype", id); });

    state.prototypes = new Map();
    state.prototypesLoaded = false;

    var handlers = {};
    Object.keys(apply).forEach(function (type) {
      handlers[type] = function (d) {
        if (loading) buffer.push([type, d]);
        apply[type](state.prototypes, d);
      };
    });

    function relevant() { return state.session && state.session.kind === "co_projecting"; }

    // Every event of the log from the start, page by page: [{seq, type, data}, ...].
    function readLog() {
      var events = [];
      function page(since) {
        return ctx.request("sync", { since: since }).then(function (ack) {
          if (!ack.ok) throw new Error(ack.error.code);
          events = events.concat(ack.events);
          return ack.more ? page(ack.seq) : events;
        });
      }
      return page(0);
    }

    function fetchCopy() {
      if (ctx.mode === "projector") {
        return readLog().then(function (events) {
          var map = new Map();
          events.forEach(function (e) { if (apply[e.type]) apply[e.type](map, e.data); });
          return map;
        });
      }
      var url = "/api/workshops/" + state.session.workshop_id + "/prototypes";
      return fetch(url, { headers: ctx.headers || {}, credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (body) {
        var map = new Map();
        body.prototypes.forEach(function (p) {
          if (p.session_id === state.session.id) map.set(p.id, record(p, state.prototypes.get(p.id)));
        });
        return map;
      });
    }

    function load() {
      if (!relevant()) return;
      if (loading) { again = true; return; }
      loading = true;
      buffer = [];
      fetchCopy().then(function (map) {
        buffer.forEach(function (item) { apply[item[0]](map, item[1]); });
        state.prototypes = map;
        state.prototypesLoaded = true;
        loading = false;
        attempt = 0;
        ctx.changed();
        if (again) { again = false; load(); }
      }).catch(function () {
        loading = false;
        attempt += 1;
        setTimeout(load, Math.min(2000 * attempt, 10000));
      });
    }

    // The API gives no link ids; the log has them. Fill in the ones we lack.
    function linkIdFor(prototypeId, link) {
      var rec = state.prototypes.get(prototypeId);
      var known = rec && rec.links.find(function (l) { return linkKey(l) === linkKey(link); });
      if (!known) return Promise.resolve(null);
      if (known.id) return Promise.resolve(known.id);
      return readLog().then(function (events) {
        var ids = new Map();
        events.forEach(function (e) {
          if (e.type === "prototype_linked") ids.set(e.data.prototype_id + ":" + linkKey(e.data.link), e.data.link.id);
        });
        state.prototypes.forEach(function (r) {
          r.links.forEach(function (l) { if (!l.id) l.id = ids.get(r.id + ":" + linkKey(l)) || null; });
        });
        return known.id;
      }).catch(function () { return null; });
    }

    return {
      handlers: handlers,
      load: load,
      api: {
        linkIdFor: linkIdFor,
        // Acks: a whole prototype newer than what the screen has applied so far.
        applyPrototypeAck: function (ack) {
          if (ack.ok && ack.prototype && ack.seq && ack.seq > state.lastSeq) { merge(state.prototypes, ack.prototype); ctx.changed(); }
        },
        applyFieldAck: function (ack, text, author) {
          var rec = ack.ok && state.prototypes.get(ack.prototype_id);
          if (!rec || ack.version <= (rec.versions[ack.field] || 0)) return;
          rec.fields[ack.field] = text;
          rec.versions[ack.field] = ack.version;
          rec.authors[ack.field] = author;
          ctx.changed();
        },
        applyFeedbackAck: function (ack) {
          var rec = ack.ok && state.prototypes.get(ack.feedback.prototype_id);
          if (rec) { upsertFeedback(rec, ack.feedback); ctx.changed(); }
        },
      },
    };
  };
})();
