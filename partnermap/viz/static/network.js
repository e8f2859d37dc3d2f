/* partnermap network page: draws the graph from the JSON the server embeds.
 *
 * Names never pass through innerHTML: every piece of text is written with
 * textContent, and tooltips are our own element, not vis-network's popup
 * (which treats a string title as HTML).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("pm-data").textContent);
  var options = JSON.parse(document.getElementById("pm-options").textContent);
  var kinds = data.kinds;
  // [id, name, kind index, x, y, isolated group, out, in, collapsed, broker]
  var N = data.nodes;
  var E = data.edges; // [from, to, tie, flow there, flow back?]
  var ARROWS_BOTH = {
    to: { enabled: true, scaleFactor: 0.5 },
    from: { enabled: true, scaleFactor: 0.5 }
  };
  var TIE_WORDS = {
    mutual: "flows both ways",
    one_way: "one-way: nothing flows back",
    single: "one direction known; the other side has not reported",
    self: "with itself"
  };

  function text(tag, content, className) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  function shortLabel(name) {
    return name.length > 42 ? name.slice(0, 40) + "\u2026" : name;
  }

  function darker(hex) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * 0.6);
    var g = Math.round(((n >> 8) & 255) * 0.6);
    var b = Math.round((n & 255) * 0.6);
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  // Neighbours of each node, for the details panel: [other node, edge index].
  var adjacency = N.map(function () { return []; });
  E.forEach(function (e, i) {
    if (e[0] === e[1]) return;
    adjacency[e[0]].push([e[1], i]);
    adjacency[e[1]].push([e[0], i]);
  });

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," +
      alpha + ")";
  }

  // On a large graph labels appear by level of detail: schools and hubs first,
  // then the rest as the view zooms in (vis hides labels drawn too small).
  function fontSize(kind, degree) {
    if (!data.large) return 14;
    if (kind.key === "school" || degree >= 6) return 14;
    return degree >= 2 ? 9 : 7;
  }

  var visNodes = N.map(function (n, i) {
    var kind = kinds[n[2]];
    var degree = adjacency[i].length;
    var base = kind.key === "school" ? 9 : 6;
    var node = {
      id: i,
      label: n[8] ? "+" + n[8].toLocaleString("en") : shortLabel(n[1]),
      shape: kind.shape,
      size: n[8] ? Math.min(30, 5 + 2 * Math.sqrt(n[8])) :
        Math.min(30, base + 2 * Math.sqrt(degree)),
      borderWidth: n[9] ? 4 : (data.large ? 0.5 : 1),
      borderWidthSelected: n[9] ? 5 : 3,
      font: { size: n[8] ? 10 : fontSize(kind, degree) },
      color: {
        background: kind.color,
        border: n[9] ? "#000000" : darker(kind.color),
        highlight: { background: kind.color, border: "#000000" },
        hover: { background: kind.color, border: "#000000" }
      }
    };
    if (n[3] !== null && n[4] !== null) {
      node.x = n[3];
      node.y = n[4];
    }
    return node;
  });

  var visEdges = E.map(function (e, i) {
    var tie = e[2];
    var intensity = Math.max(e[3][3], e[4] ? e[4][3] : 1);
    var colour = data.ties[tie];
    var edge = {
      id: i,
      from: e[0],
      to: e[1],
      width: (data.large ? 0.6 : 1) + (intensity - 1) * 0.7,
      color: {
        color: rgba(colour, data.large ? 0.45 : 0.9),
        highlight: "#000000",
        hover: "#000000"
      },
      dashes: tie === "one_way" ? [5, 4] : false
    };
    if (tie === "mutual") edge.arrows = ARROWS_BOTH;
    return edge;
  });

  var container = document.getElementById("pm-network");
  var network = new vis.Network(
    container,
    { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) },
    options
  );

  // Arrowheads are what a frame of a large graph costs: each one is a filled
  // path, and in software rendering 8,000 edges' heads took 300-450 ms of a
  // 350-500 ms frame (the lines and nodes about 60 ms). Zoomed out they are
  // a pixel or two long and show no direction, so on a large graph they are
  // drawn only from ARROW_MIN_SCALE (about 4 px long) and only for edges
  // whose box overlaps the view. Dashes, colours and widths are drawn as
  // before. This replaces a method of vis-network 9.1.2's renderer; the
  // browser test of the NYC page checks that arrowheads still come and go.
  var ARROW_MIN_SCALE = 0.4;
  if (data.large && network.renderer && network.renderer._drawArrows) {
    network.renderer._drawArrows = function (ctx) {
      if (network.getScale() < ARROW_MIN_SCALE) return;
      var body = network.body;
      var edges = body.edges;
      var ids = body.edgeIndices;
      var frame = container.getBoundingClientRect();
      var a = network.DOMtoCanvas({ x: -20, y: -20 });
      var b = network.DOMtoCanvas({ x: frame.width + 20, y: frame.height + 20 });
      for (var k = 0; k < ids.length; k++) {
        var edge = edges[ids[k]];
        if (edge.connected !== true) continue;
        var f = edge.from;
        var t = edge.to;
        if (Math.max(f.x, t.x) < a.x || Math.min(f.x, t.x) > b.x ||
            Math.max(f.y, t.y) < a.y || Math.min(f.y, t.y) > b.y) continue;
        edge.drawArrows(ctx);
      }
    };
  }
  // Marks for people timing the page and for the browser tests: the first
  // frame drawn, and the moment nodes stop moving.
  network.once("afterDrawing", function () {
    window.pmFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "1");
    if (!settling) document.body.setAttribute("data-settled", "1");
  });
  var settling = data.physics && N.length > 0;
  if (settling) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settling = false;
      shades = null;
      document.body.setAttribute("data-settled", "1");
    });
  } else {
    network.fit();
  }

  // Each isolated group sits on a shaded disc, drawn under the graph.
  var groups = [];
  N.forEach(function (n, i) {
    if (!n[5]) return;
    (groups[n[5]] = groups[n[5]] || []).push(i);
  });
  var shades = null;

  function groupShades() {
    return groups.filter(Boolean).map(function (members) {
      var at = network.getPositions(members);
      var xs = members.map(function (i) { return at[i].x; });
      var ys = members.map(function (i) { return at[i].y; });
      var cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
      var cy = (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2;
      var r = 0;
      members.forEach(function (i, k) {
        r = Math.max(r, Math.hypot(xs[k] - cx, ys[k] - cy) + visNodes[i].size);
      });
      return [cx, cy, r + 8];
    });
  }

  network.on("beforeDrawing", function (ctx) {
    if (!groups.length) return;
    if (!shades || settling) shades = groupShades();
    ctx.save();
    ctx.fillStyle = data.isolatedShade[0];
    ctx.strokeStyle = data.isolatedShade[1];
    ctx.lineWidth = 1.5 / network.getScale();
    shades.forEach(function (c) {
      ctx.beginPath();
      ctx.arc(c[0], c[1], c[2], 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
  });
  network.on("dragEnd", function () { shades = null; });

  // Tooltips: built from text nodes, placed next to the pointer.
  var tooltip = document.getElementById("pm-tooltip");

  function flowLines(box, from, to, flow) {
    var counts = flow[0].map(function (c) {
      return (data.types[c[0]] || c[0]) + " " + c[1];
    });
    box.appendChild(text("div", N[from][1] + " \u2192 " + N[to][1], "pm-tip-flow"));
    if (counts.length) box.appendChild(text("div", counts.join(" \u00b7 ")));
    var when = flow[1] === flow[2] ? flow[1] : flow[1] + " to " + flow[2];
    if (flow[1]) box.appendChild(text("div", when, "pm-muted"));
    var depth = "Deepest tie: " + (data.intensity[flow[3]] || flow[3]);
    if (!flow[4]) depth += " (not confirmed by " + N[to][1] + ")";
    box.appendChild(text("div", depth, "pm-muted"));
  }

  function nodeTip(i) {
    var n = N[i];
    var box = document.createElement("div");
    box.appendChild(text("strong", n[1]));
    box.appendChild(text("div", kinds[n[2]].label + " \u00b7 id " + n[0], "pm-muted"));
    box.appendChild(text("div", "Flows out to " + plural(n[6], "stakeholder") +
      "; in from " + n[7].toLocaleString("en")));
    if (n[5]) box.appendChild(text("div", "In an isolated group", "pm-tip-isolated"));
    if (n[9]) box.appendChild(text("div", "A broker: holds parts of the network together"));
    if (n[8]) box.appendChild(text("div", "Collapsed to keep the view fast; filter to see them"));
    return box;
  }

  function edgeTip(i) {
    var e = E[i];
    var box = document.createElement("div");
    box.appendChild(text("strong", TIE_WORDS[e[2]].replace(/^./, function (c) {
      return c.toUpperCase();
    }), "pm-tip-" + e[2]));
    flowLines(box, e[0], e[1], e[3]);
    if (e[4]) flowLines(box, e[1], e[0], e[4]);
    return box;
  }

  function showTip(content, pointer) {
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    var area = container.getBoundingClientRect();
    var left = container.offsetLeft + pointer.x + 14;
    var top = container.offsetTop + pointer.y + 14;
    var maxLeft = container.offsetLeft + area.width - tooltip.offsetWidth - 8;
    var maxTop = container.offsetTop + area.height - tooltip.offsetHeight - 8;
    tooltip.style.left = Math.max(container.offsetLeft, Math.min(left, maxLeft)) + "px";
    tooltip.style.top = Math.max(container.offsetTop, Math.min(top, maxTop)) + "px";
  }

  function hideTip() {
    tooltip.hidden = true;
  }

  network.on("hoverNode", function (p) { showTip(nodeTip(p.node), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip(edgeTip(p.edge), p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // Details of the selected stakeholder, with its neighbours as buttons so
  // that the network can be walked with a keyboard.
  var details = document.getElementById("pm-details");

  function nodeButton(i, note) {
    var li = document.createElement("li");
    var button = text("button", N[i][1]);
    button.type = "button";
    button.setAttribute("data-node", String(i));
    if (note) button.appendChild(text("span", note, "pm-muted"));
    li.appendChild(button);
    return li;
  }

  var profile = document.getElementById("pm-details-profile");

  function profileUrl(i) {
    var id = N[i][8] ? N[i][0].replace(/^collapsed:/, "") : N[i][0];
    return "/stakeholders/" + encodeURIComponent(id);
  }

  // Selecting a stakeholder dims everyone outside its neighbourhood. The
  // opacity is set on vis-network's own node objects, which read it when
  // they draw, and only where it changes: updating it through the DataSet
  // makes vis-network re-read every option of every node updated, 0.4 s for
  // the 5,000 nodes of a large view on each click.
  var opacity = N.map(function () { return 1; });

  function setOpacity(target) {
    var drawn = network.body.nodes;
    var changed = 0;
    var changes = [];
    for (var k = 0; k < N.length; k++) {
      var o = target(k);
      if (o === opacity[k]) continue;
      opacity[k] = o;
      changed++;
      if (drawn[k] && drawn[k].options) drawn[k].options.opacity = o;
      else changes.push({ id: k, opacity: o });
    }
    if (changes.length) network.body.data.nodes.update(changes);
    if (changed) network.redraw();
  }

  function highlight(i) {
    var near = {};
    near[i] = true;
    adjacency[i].forEach(function (pair) { near[pair[0]] = true; });
    setOpacity(function (k) { return near[k] ? 1 : 0.18; });
  }

  function clearHighlight() {
    setOpacity(function () { return 1; });
  }

  function showDetails(i) {
    var n = N[i];
    highlight(i);
    profile.href = profileUrl(i);
    profile.textContent = n[8] ? "Open the profile of the stakeholder they are tied to" :
      (kinds[n[2]].key === "afterschool_provider" ? "Open \u201cMy connections\u201d" :
        "Open profile");
    document.getElementById("pm-details-name").textContent = n[1];
    document.getElementById("pm-details-kind").textContent =
      kinds[n[2]].label + " \u00b7 id " + n[0] + (n[5] ? " \u00b7 in an isolated group" : "") +
      (n[9] ? " \u00b7 broker" : "");
    document.getElementById("pm-details-ties").textContent =
      "Flows out to " + plural(n[6], "stakeholder") + "; in from " +
      n[7].toLocaleString("en") + ".";
    var list = document.getElementById("pm-details-neighbours");
    var items = adjacency[i].slice(0, 40).map(function (pair) {
      var e = E[pair[1]];
      var arrow = e[2] === "mutual" ? "\u21c4" : (e[0] === i ? "\u2192" : "\u2190");
      var note = " " + arrow + " " + (e[2] === "one_way" ? "one-way" : kinds[N[pair[0]][2]].label);
      return nodeButton(pair[0], note);
    });
    if (adjacency[i].length > 40) {
      items.push(text("li", "\u2026 and " + (adjacency[i].length - 40) + " more", "pm-muted"));
    }
    list.replaceChildren.apply(list, items);
    details.hidden = false;
  }

  function focusNode(i) {
    hideTip();
    network.selectNodes([i]);
    // vis-network animates by frame count (60 frames a second of duration),
    // not by time: 400 ms is 24 full redraws, seconds of a busy page on a
    // large graph. There the view jumps in one frame.
    network.focus(i, {
      scale: Math.max(network.getScale(), 1.0),
      animation: data.large ? false : { duration: 400, easingFunction: "easeInOutQuad" }
    });
    showDetails(i);
  }

  network.on("selectNode", function (p) { showDetails(p.nodes[0]); });
  network.on("deselectNode", function (p) {
    if (!p.nodes.length) {
      details.hidden = true;
      clearHighlight();
    }
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length) window.location.href = profileUrl(p.nodes[0]);
  });

  // A focus asked for in the address (?focus=ID) is selected once drawn.
  var focusId = (data.explorer || {}).focus;
  if (focusId) {
    var focusAt = N.findIndex(function (n) { return n[0] === focusId; });
    if (focusAt !== -1) {
      network.once("afterDrawing", function () {
        setTimeout(function () { focusNode(focusAt); }, 0);
      });
    }
  }

  // The view as a picture: the canvas on white, downloaded as PNG.
  var png = document.getElementById("pm-png");
  if (png) {
    png.addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      var out = document.createElement("canvas");
      out.width = canvas.width;
      out.height = canvas.height;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(canvas, 0, 0);
      var link = document.createElement("a");
      link.href = out.toDataURL("image/png");
      link.download = "partnermap-network.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  // Search by name or id.
  var input = document.getElementById("pm-search-input");
  var results = document.getElementById("pm-search-results");
  var lowered = N.map(function (n) { return n[1].toLowerCase(); });

  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    for (var i = 0; i < N.length; i++) {
      if (lowered[i].indexOf(q) !== -1 || N[i][0].toLowerCase() === q) found.push(i);
    }
    found.sort(function (a, b) {
      var sa = lowered[a].indexOf(q) === 0 ? 0 : 1;
      var sb = lowered[b].indexOf(q) === 0 ? 0 : 1;
      return sa - sb || adjacency[b].length - adjacency[a].length || a - b;
    });
    return found.slice(0, 15);
  }

  input.addEventListener("input", function () {
    var found = search(input.value);
    var items = found.map(function (i) { return nodeButton(i, " " + kinds[N[i][2]].label); });
    if (input.value.trim() && !found.length) items.push(text("li", "No match", "pm-muted"));
    results.replaceChildren.apply(results, items);
  });

  input.addEventListener("keydown", function (ev) {
    var first = results.querySelector("button");
    if (ev.key === "Enter" && first) {
      ev.preventDefault();
      focusNode(Number(first.getAttribute("data-node")));
    } else if (ev.key === "ArrowDown" && first) {
      ev.preventDefault();
      first.focus();
    } else if (ev.key === "Escape") {
      input.value = "";
      results.replaceChildren();
    }
  });

  function onListKey(ev) {
    if (ev.target.tagName !== "BUTTON") return;
    var li = ev.target.parentElement;
    var next = null;
    if (ev.key === "ArrowDown") next = li.nextElementSibling;
    if (ev.key === "ArrowUp") next = li.previousElementSibling;
    if (next && next.querySelector("button")) {
      ev.preventDefault();
      next.querySelector("button").focus();
    } else if (ev.key === "ArrowUp" && ev.currentTarget === results) {
      ev.preventDefault();
      input.focus();
    }
  }

  function onListClick(ev) {
    var button = ev.target.closest("button[data-node]");
    if (!button) return;
    var fromDetails = ev.currentTarget.id === "pm-details-neighbours";
    focusNode(Number(button.getAttribute("data-node")));
    // The list just clicked is rebuilt; keep keyboard focus in the panel.
    if (fromDetails) document.getElementById("pm-details-name").focus();
  }

  [results, document.getElementById("pm-details-neighbours")].forEach(function (list) {
    list.addEventListener("click", onListClick);
    list.addEventListener("keydown", onListKey);
  });

  window.pmNetwork = network;
})();
