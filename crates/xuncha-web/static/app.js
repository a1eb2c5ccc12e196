// Small enhancements only; every page works without this file.
// Ask once before dangerous actions (forms marked data-confirm).
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// Show that an upload is in progress (imports can take a few seconds).
document.addEventListener("submit", function (e) {
  if (e.target.enctype === "multipart/form-data") {
    var b = e.target.querySelector("button[type=submit]");
    if (b) { b.disabled = true; if (b.getAttribute("data-busy")) { b.textContent = b.getAttribute("data-busy"); } }
  }
});
// Public forms (data-pow="bits"): before sending, find a nonce so that
// SHA-256(token ":" nonce) starts with that many zero bits (see
// xuncha-core's intake/guard.rs). Plain JavaScript, because crypto.subtle
// exists only over HTTPS and intranet servers often speak HTTP.
(function () {
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  function ror(x, n) { return (x >>> n) | (x << (32 - n)); }
  // SHA-256 of an ASCII string, as eight 32-bit words.
  function sha256(s) {
    var n = s.length, words = ((n + 8) >> 6) * 16 + 16, m = new Array(words), i, t;
    for (i = 0; i < words; i++) { m[i] = 0; }
    for (i = 0; i < n; i++) { m[i >> 2] |= s.charCodeAt(i) << (24 - (i & 3) * 8); }
    m[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
    m[words - 1] = n * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var j = 0; j < words; j += 16) {
      for (t = 0; t < 16; t++) { w[t] = m[j + t] | 0; }
      for (t = 16; t < 64; t++) {
        var s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        var s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var t1 = (k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h;
  }
  function zeroBits(h) {
    var bits = 0;
    for (var i = 0; i < 8; i++) {
      if (h[i] === 0) { bits += 32; } else { return bits + Math.clz32(h[i]); }
    }
    return bits;
  }
  window.xunchaPow = { sha256: sha256, zeroBits: zeroBits };
  document.addEventListener("submit", function (e) {
    var form = e.target, bits = form.getAttribute("data-pow");
    if (bits === null) { return; }
    var nonceField = form.querySelector("input[name=pow_nonce]");
    if (nonceField.value) { return; }
    e.preventDefault();
    var token = form.querySelector("input[name=pow_token]").value, need = parseInt(bits, 10), n = 0;
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.textContent = form.getAttribute("data-busy") || button.textContent; }
    // Work in slices so the page stays responsive on a slow phone.
    (function step() {
      for (var end = n + 20000; n < end; n++) {
        if (zeroBits(sha256(token + ":" + n)) >= need) {
          nonceField.value = String(n);
          form.submit();
          return;
        }
      }
      setTimeout(step, 0);
    })();
  }, true);
})();
// Field forms (data-resend="key"): on a poor connection a form must not lose
// what was typed. The text fields are kept in this phone while the form is
// filled in; sending goes through fetch so a failed send leaves the page (and
// its chosen photos) as it was, with a "send again" button. The form's
// client_key makes a second send of a form that did get through a no-op.
(function () {
  var forms = document.querySelectorAll("form[data-resend]");
  Array.prototype.forEach.call(forms, function (form) {
    var key = "xuncha-draft:" + form.getAttribute("data-resend");
    var state = form.querySelector("#send-state");
    var button = form.querySelector("button[type=submit]");
    var label = button ? button.textContent : "";
    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrf" && el.type !== "file" && el.type !== "submit";
      });
    }
    function save() {
      var data = {};
      fields().forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.checked) { data[el.name] = el.value; }
        } else { data[el.name] = el.value; }
      });
      try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode */ }
    }
    function say(text) { if (state) { state.hidden = false; state.textContent = text; } }
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    // Restore an unsent draft unless the server re-rendered the form with
    // what was typed (a refusal shows its own values and errors).
    if (saved && !document.getElementById("form-errors")) {
      fields().forEach(function (el) {
        if (!(el.name in saved)) { return; }
        if (el.type === "radio" || el.type === "checkbox") { el.checked = saved[el.name] === el.value; }
        else { el.value = saved[el.name]; }
      });
      say(form.getAttribute("data-restored"));
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function (e) {
      if (!window.fetch || !window.FormData) { return; }
      e.preventDefault();
      save();
      if (button) { button.disabled = true; button.textContent = form.getAttribute("data-busy") || label; }
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (res) {
          return res.text().then(function (html) {
            if (res.ok) {
              try { window.localStorage.removeItem(key); } catch (err) { /* ignore */ }
              window.location.href = res.url;
            } else {
              // Refused (422) or another answer: show the server's page,
              // which keeps what was typed and names each problem.
              document.open(); document.write(html); document.close();
            }
          });
        })
        .catch(function () {
          say(form.getAttribute("data-offline"));
          if (button) { button.disabled = false; button.textContent = form.getAttribute("data-retry") || label; }
        });
    }, true);
  });
  // The position of a visit is read only after the household's consent.
  var consent = document.getElementById("consent");
  if (consent && navigator.geolocation) {
    consent.addEventListener("change", function () {
      if (!consent.checked) { consent.form.lat.value = ""; consent.form.lon.value = ""; return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        consent.form.lat.value = p.coords.latitude.toFixed(6);
        consent.form.lon.value = p.coords.longitude.toFixed(6);
        var s = document.getElementById("position-state");
        if (s) { s.textContent = consent.form.lat.value + ", " + consent.form.lon.value; }
      }, function () { /* no position: the visit is recorded without it */ }, { timeout: 10000 });
    });
  }
})();
