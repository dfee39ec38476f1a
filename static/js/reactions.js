// Pictogram reactions on notes: 👍 agree, 👎 disagree, ❓ I don't understand, ❗ important.
// Participants (migrants, decision makers, mediators) tap them on their tablets; the console
// and the projector show the counts. Each pictogram has a text label too: the icon is a
// second channel, never the only one.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  ui.REACTIONS = [
    { kind: "agree", icon: "👍", label: t("Agree") },
    { kind: "disagree", icon: "👎", label: t("Disagree") },
    { kind: "unclear", icon: "❓", label: t("I don't understand") },
    { kind: "important", icon: "❗", label: t("Important") },
  ];
  var REACTING_ROLES = ["migrant", "decision_maker", "mediator"];

  ui.mayReact = function (state) {
    return !!state.me && REACTING_ROLES.indexOf(state.me.role) >= 0 && state.session.status === "live";
  };

  function myReactions(state, postId) {
    return (state.myReactions && state.myReactions[String(postId)]) || [];
  }

  // What tapping a reaction does on this screen: send it, then draw the answer.
  ui.reactWith = function (client) {
    var state = client.state;
    return function (post, kind, on, button) {
      ui.act(client, "react", { post_id: post.id, kind: kind, on: on }, button).then(function (ack) {
        if (!ack.ok) { client.changed(); return; }
        var live = state.posts.get(post.id);
        // A reactions_changed event newer than this ack may have arrived first.
        if (live && ack.reactions && !(ack.seq && live.reactions_seq > ack.seq)) {
          live.reactions = ack.reactions;
          if (ack.seq) live.reactions_seq = ack.seq;
        }
        state.myReactions = state.myReactions || {};
        state.myReactions[String(post.id)] = ack.mine || [];
        client.changed();
      });
    };
  };

  // The row of reactions of a note: buttons when `react` is given and the viewer may react,
  // otherwise the counts (only those someone used). Null when there is nothing to show.
  ui.noteReactions = function (post, state, react) {
    if (!post.id || post.hidden) return null;
    var counts = post.reactions || {};
    var mine = myReactions(state, post.id);
    var interactive = !!react && ui.mayReact(state);
    var box = ui.el("div", "reactions" + (interactive ? "" : " is-readonly"));
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t("Reactions"));
    ui.REACTIONS.forEach(function (r) {
      var count = counts[r.kind] || 0;
      if (!interactive && !count) return;
      var node;
      if (interactive) {
        var pressed = mine.indexOf(r.kind) >= 0;
        node = ui.el("button", "reaction");
        node.type = "button";
        node.setAttribute("aria-pressed", String(pressed));
        node.addEventListener("click", function () { react(post, r.kind, !pressed, node); });
      } else {
        node = ui.el("span", "reaction");
      }
      node.dataset.kind = r.kind;
      node.appendChild(ui.el("span", "reaction-icon", r.icon)).setAttribute("aria-hidden", "true");
      node.appendChild(ui.el("span", "reaction-label", r.label));
      node.appendChild(ui.el("span", "visually-hidden", ", "));
      node.appendChild(ui.el("span", "reaction-count", String(count)));
      box.appendChild(node);
    });
    return box.childNodes.length ? box : null;
  };
})();
