/*
 * kpsim HTML report: the packet panel, clicking and keyboard step-through.
 * Plain DOM, no framework, no network. Reads the JSON block #kp-data written with the page.
 * Keys: n, j, ArrowDown or ArrowRight = next packet; p, k, ArrowUp or ArrowLeft = previous packet;
 * Home / End = first / last packet; Escape = clear the highlight.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("kp-data");
  if (!dataElement) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var ladder = document.getElementById("ladder");
  var panel = document.getElementById("panel");
  var current = -1;

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function row(table, name, value) {
    var tr = el("tr");
    tr.appendChild(el("th", name));
    tr.appendChild(el("td", value === null || value === undefined ? "" : value));
    table.appendChild(tr);
  }

  function arrowsOf(packet) {
    return data.arrows.filter(function (a) { return a.p === packet; });
  }

  function entryTable(title, entry) {
    var box = el("div");
    box.appendChild(el("h4", title));
    if (!entry) {
      box.appendChild(el("p", "no entry matched the packet's tuple", "note"));
      return box;
    }
    var t = el("table", null, "entry");
    row(t, "original", entry.original);
    row(t, "reply", entry.reply);
    row(t, "state", entry.state);
    [["ORIGINAL", entry.originalWindow], ["REPLY", entry.replyWindow]].forEach(function (d) {
      row(t, "seen[" + d[0] + "]", "td_end " + d[1].tdEnd + ", td_maxend " + d[1].tdMaxEnd +
        ", td_maxwin " + d[1].tdMaxWin + ", td_scale " + d[1].tdScale);
    });
    box.appendChild(t);
    return box;
  }

  function hop(a, selected) {
    var div = el("div", null, "hop" + (a.verdict && a.verdict.state === "INVALID" ? " invalid" : "") +
      (selected ? " selected" : ""));
    div.setAttribute("data-arrow", a.i);
    div.appendChild(el("h4", "hop " + (a.i + 1) + ": " + a.from + " \u2192 " + a.to + " (" + a.depart + " \u2192 " +
      a.arrive + ")"));
    var t = el("table");
    row(t, "as sent on this hop", a.summary);
    row(t, "then", a.end.toLowerCase() + (a.detail ? ": " + a.detail : ""));
    if (a.verdict) {
      var v = a.verdict.word + (a.verdict.reason ? ": \u201c" + a.verdict.reason + "\u201d" : "");
      row(t, "conntrack at " + a.to, v);
      if (a.verdict.state === "INVALID") {
        t.lastChild.lastChild.className = "verdict-invalid";
      }
    }
    if (a.nat) {
      row(t, "NAT at " + a.to, a.nat.description);
    }
    div.appendChild(t);
    if (a.verdict) {
      if (a.ct) {
        div.appendChild(entryTable("conntrack entry before", a.ct.before));
        div.appendChild(entryTable("conntrack entry after", a.ct.after));
      } else {
        div.appendChild(el("p", "conntrack entry before and after: not recorded in this run's trace " +
          "(the verdict and the kernel's words above are).", "note"));
      }
    }
    return div;
  }

  function packetTable(a) {
    var t = el("table", null, "packet");
    row(t, "packet id", a.id + (a.injected ? " (forged: written from a raw socket)" : ""));
    row(t, "source", a.src);
    row(t, "destination", a.dst);
    if (a.flags !== undefined) {
      row(t, "flags", a.flags + " " + a.flagNames);
      row(t, "seq", a.seq + (a.rseq !== null ? " (relative " + a.rseq + ")" : ""));
      row(t, "ack", a.ack + (a.rack !== null ? " (relative " + a.rack + ")" : ""));
      row(t, "length", a.len);
      row(t, "window", a.win + (a.winBytes !== null ? " (" + a.winBytes + " bytes)" : ""));
      row(t, "options", a.options || "none");
    }
    row(t, "IP", "ttl " + a.ttl + ", id " + a.ipId + ", tos " + a.tos);
    return t;
  }

  function show(packet, arrowIndex) {
    var hops = arrowsOf(packet);
    if (hops.length === 0) {
      return;
    }
    current = packet;
    var all = ladder.querySelectorAll(".arrow");
    for (var i = 0; i < all.length; i++) {
      var mine = Number(all[i].getAttribute("data-packet")) === packet;
      all[i].classList.toggle("current", mine);
    }
    var selected = arrowIndex === undefined ? hops[0].i : arrowIndex;
    panel.textContent = "";
    panel.classList.add("filled");
    panel.appendChild(el("h3", "Packet " + (packet + 1) + " of " + data.packets + ": " + hops[0].label));
    var steps = data.steps.filter(function (s) {
      return hops.some(function (h) { return h.i === s.arrow; });
    });
    steps.forEach(function (s) {
      panel.appendChild(el("p", "story step " + s.n + ": " + s.title, "step"));
    });
    panel.appendChild(packetTable(hops[0]));
    hops.forEach(function (h) {
      panel.appendChild(hop(h, h.i === selected));
    });
    var first = ladder.querySelector('.arrow[data-arrow="' + selected + '"]');
    if (first && first.scrollIntoView) {
      first.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    var mark = panel.querySelector(".hop.selected");
    if (mark && mark.scrollIntoView && arrowIndex !== undefined) {
      mark.scrollIntoView({ block: "nearest" });
    }
    var storyItems = document.querySelectorAll(".story > li");
    for (var k = 0; k < storyItems.length; k++) {
      var n = Number(storyItems[k].getAttribute("data-step"));
      storyItems[k].classList.toggle("current", steps.some(function (s) { return s.n === n; }));
    }
  }

  function clear() {
    current = -1;
    var all = ladder.querySelectorAll(".arrow.current");
    for (var i = 0; i < all.length; i++) {
      all[i].classList.remove("current");
    }
  }

  function packetOfArrow(index) {
    var a = data.arrows[index];
    return a ? a.p : -1;
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-arrow]") : null;
    if (!target) {
      return;
    }
    var index = Number(target.getAttribute("data-arrow"));
    if (!ladder.contains(target) && !target.closest("#plots")) {
      return;
    }
    var packet = packetOfArrow(index);
    if (packet >= 0) {
      show(packet, index);
      if (target.closest("#plots")) {
        ladder.scrollIntoView({ block: "start" });
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var tag = event.target && event.target.tagName ? event.target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select") {
      return;
    }
    var next;
    switch (event.key) {
      case "n": case "j": case "ArrowDown": case "ArrowRight":
        next = current < 0 ? 0 : Math.min(data.packets - 1, current + 1);
        break;
      case "p": case "k": case "ArrowUp": case "ArrowLeft":
        next = current < 0 ? data.packets - 1 : Math.max(0, current - 1);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = data.packets - 1;
        break;
      case "Escape":
        clear();
        return;
      default:
        return;
    }
    event.preventDefault();
    show(next);
  });

  window.addEventListener("beforeprint", function () {
    var details = document.querySelectorAll("details");
    for (var i = 0; i < details.length; i++) {
      details[i].open = true;
    }
  });
})();
