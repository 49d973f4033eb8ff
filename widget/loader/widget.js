/*
 * pvz-widget loader: the one script a shop embeds. It finds its own <script> tag, gives the target element a
 * Shadow DOM root with the widget's and Leaflet's CSS inside, loads Leaflet and the wasm module from the
 * proxy it came from, and mounts the widget. Also the full JS API: window.PvzWidget.mount(element, options).
 */
(function () {
  'use strict';

  if (window.PvzWidget) return; // loaded twice: the first copy serves both
  // For the page's own timing: pvz:ready's time minus this mark is how long the widget took to show points.
  if (window.performance && performance.mark) performance.mark('pvz:loader-start');

  var script = document.currentScript ||
    document.querySelector('script[src$="/widget.js"], script[src*="/widget.js?"]');
  var scriptUrl = script ? script.src : location.href;
  var assetBase = new URL('widget/', scriptUrl).href;
  // The bundle's files by the names asked for here; `cargo xtask build` writes their content-hashed names on
  // this line (then minifies the loader), so that browsers keep them for a year and a new bundle is new names.
  var ASSETS = /* names */ { "pvz_widget.js": "pvz_widget.js", "pvz_widget_bg.wasm": "pvz_widget_bg.wasm", "pvz_tracking.js": "pvz_tracking.js", "pvz_tracking_bg.wasm": "pvz_tracking_bg.wasm", "widget.css": "widget.css", "leaflet/leaflet.js": "leaflet/leaflet.js", "leaflet/leaflet.css": "leaflet/leaflet.css" };
  function asset(name) { return assetBase + ASSETS[name]; }
  var apiBase = new URL('api/v1/', scriptUrl).href;
  // The loaded modules by name: the picker (`pvz_widget`) and the tracking view (`pvz_tracking`).
  var modules = {};
  var leafletLoading = null;
  // How long the mount waits for the first API answers beyond the module's own loading (see warmUp).
  var WARM_WAIT_MS = 500;
  // Each target's mounted widget. Holding the handle here keeps the wasm side alive however the page
  // treats the handle it was given, and lets a second mount on the same element replace the first.
  var mounted = new WeakMap();

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement('script');
      tag.src = src;
      tag.async = true;
      tag.onload = function () { resolve(); };
      tag.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(tag);
    });
  }

  function isTracking(options) { return String(options.mode || '').trim() === 'tracking'; }

  // Leaflet (unless the page has it already) and the wasm module of the widget's mode, fetched in parallel,
  // once per page: a checkout loads the picker, an order page (`mode: "tracking"`) the tracking view.
  function loadModules(options) {
    var name = isTracking(options) ? 'pvz_tracking' : 'pvz_widget';
    if (!modules[name]) {
      // Leaflet of the widget's own, never the page's: the bundle's copy hands itself over as PvzLeaflet.
      if (!leafletLoading) {
        leafletLoading = window.PvzLeaflet ? Promise.resolve() : loadScript(asset('leaflet/leaflet.js'));
        leafletLoading.catch(function () { leafletLoading = null; });
      }
      var leaflet = leafletLoading;
      // The module's bytes are fetched alongside its JS glue rather than after it.
      var bytes = fetch(asset(name + '_bg.wasm'));
      var wasm = import(asset(name + '.js')).then(function (glue) {
        return glue.default({ module_or_path: bytes }).then(function () { return glue; });
      });
      var loading = Promise.all([leaflet, wasm]).then(function (loaded) { return loaded[1]; });
      // A failed load may be retried by the next mount.
      loading.catch(function () { if (modules[name] === loading) delete modules[name]; });
      modules[name] = loading;
    }
    return modules[name];
  }

  function stylesheet(href) {
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    var loaded = new Promise(function (resolve) {
      link.onload = link.onerror = function () { resolve(); };
    });
    return { link: link, loaded: loaded };
  }

  function fail(element, error) {
    element.dispatchEvent(new CustomEvent('pvz:error', {
      bubbles: true,
      composed: true,
      detail: { code: 'load', message: String(error && error.message || error) }
    }));
  }

  // Attribute values as the widget's options: data-city -> city, data-api-base -> apiBase, ...
  function optionsFromDataset(dataset) {
    var options = {};
    Object.keys(dataset).forEach(function (key) {
      if (key !== 'target') options[key] = dataset[key];
    });
    return options;
  }

  // Starts the widget's first API calls while its module loads; resolves with their answers once both are in,
  // normally before the module (they are small and it is not), or after WARM_WAIT_MS with what has come. The
  // widget takes them at its mount and creates its map and asks for points in that same task, before the
  // browser first draws it; an answer late or failed it asks for itself (from the browser's cache when it
  // came: both answers are cacheable), and meets any failure there.
  function warmUp(options) {
    var answers = {};
    function ask(key, url) {
      return fetch(url)
        .then(function (response) { return response.ok ? response.json() : undefined; })
        .then(function (answer) { answers[key] = answer; })
        .catch(function () {});
    }
    var asked = [ask('settings', apiBase + 'settings')];
    var city = String(options.city || '').trim();
    if (city) asked.push(ask('city', apiBase + 'cities/' + encodeURIComponent(city)));
    var late = new Promise(function (resolve) { setTimeout(resolve, WARM_WAIT_MS); });
    return Promise.race([Promise.all(asked), late]).then(function () { return answers; });
  }

  // The text colour that reads on `colour` (any CSS colour): white, or near-black on light colours.
  function onColour(colour) {
    var ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return '#fff';
    ctx.fillStyle = '#000';
    ctx.fillStyle = colour;
    var hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(ctx.fillStyle);
    if (!hex) return '#fff';
    var luminance = [hex[1], hex[2], hex[3]].map(function (h) {
      var c = parseInt(h, 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * luminance[0] + 0.7152 * luminance[1] + 0.0722 * luminance[2];
    // White when it keeps WCAG's 4.5:1 on the colour, otherwise near-black.
    return (1.05 / (l + 0.05)) >= 4.5 ? '#fff' : '#111';
  }

  // The theme options on the host element: `theme` (light, dark, auto) as data-pvz-theme, `accent` and
  // `radius` as the custom properties the widget's CSS reads. Returns what undoes it.
  function applyTheme(element, options) {
    var undo = [];
    var theme = String(options.theme || '').trim();
    if (theme === 'dark' || theme === 'light') {
      element.setAttribute('data-pvz-theme', theme);
    } else if (theme === 'auto' && window.matchMedia) {
      var dark = window.matchMedia('(prefers-color-scheme: dark)');
      var follow = function () { element.setAttribute('data-pvz-theme', dark.matches ? 'dark' : 'light'); };
      follow();
      dark.addEventListener('change', follow);
      undo.push(function () { dark.removeEventListener('change', follow); });
    }
    undo.push(function () { element.removeAttribute('data-pvz-theme'); });
    var accent = String(options.accent || '').trim();
    if (accent && window.CSS && CSS.supports('color', accent)) {
      element.style.setProperty('--pvz-accent', accent);
      element.style.setProperty('--pvz-on-accent', onColour(accent));
      undo.push(function () {
        element.style.removeProperty('--pvz-accent');
        element.style.removeProperty('--pvz-on-accent');
      });
    }
    var given = options.radius === undefined || options.radius === null ? '' : String(options.radius).trim();
    var radius = Number(given);
    if (given !== '' && isFinite(radius)) {
      // Outside 0 to 32 px the nearest of them is what was meant; the page's developer is told.
      var kept = Math.min(Math.max(radius, 0), 32);
      if (kept !== radius) console.warn('pvz-widget: radius is 0 to 32 px; "' + given + '" is taken as ' + kept);
      element.style.setProperty('--pvz-radius', kept + 'px');
      undo.push(function () { element.style.removeProperty('--pvz-radius'); });
    } else if (given !== '') {
      console.warn('pvz-widget: radius must be a number of px from 0 to 32; "' + given + '" is ignored');
    }
    return function () { undo.forEach(function (f) { f(); }); };
  }

  // The widget reads every option as text, as attributes give them; null or undefined leaves one out.
  function asText(options) {
    var all = { apiBase: apiBase };
    Object.keys(options).forEach(function (key) {
      var value = options[key];
      if (value !== undefined && value !== null && key !== 'apiBase') all[key] = String(value);
    });
    return all;
  }

  function mount(element, options) {
    if (typeof element === 'string') element = document.querySelector(element);
    if (!element || !element.nodeType) throw new Error('PvzWidget.mount: no target element');
    if (mounted.has(element)) mounted.get(element).destroy();
    var shadow = element.shadowRoot || element.attachShadow({ mode: 'open' });
    var given = Object.assign({}, options || {});
    var run = null;
    var destroyed = false;

    function start() {
      var leafletCss = stylesheet(asset('leaflet/leaflet.css'));
      var widgetCss = stylesheet(asset('widget.css'));
      var root = document.createElement('div');
      root.className = 'pvz-root';
      shadow.replaceChildren(leafletCss.link, widgetCss.link, root);
      var all = asText(given);
      var current = { inner: null, stopped: false, unstyle: applyTheme(element, all) };
      var warm = warmUp(all);
      // The tracking view takes no answers at its mount (it asks for the settings later, from the browser's
      // cache), so it does not wait for them.
      var answers = isTracking(all) ? {} : warm;
      Promise.all([loadModules(all), leafletCss.loaded, widgetCss.loaded, answers]).then(function (loaded) {
        if (current.stopped) return;
        current.inner = loaded[0].mount(element, root, all, loaded[3]);
      }).catch(function (error) {
        if (!current.stopped) fail(element, error);
      });
      run = current;
    }

    function stop() {
      if (!run) return;
      run.stopped = true;
      run.unstyle();
      if (run.inner) {
        run.inner.destroy();
        run.inner.free();
      }
      run = null;
      shadow.replaceChildren();
    }

    var handle = {
      // New options over the old ones (null removes one); the widget starts again with them, keeping the
      // buyer's choice unless `selected` is given.
      update: function (changes) {
        if (destroyed) throw new Error('PvzWidget: update() after destroy()');
        var chosen = element.querySelector(':scope > input[name=pvz_point_id], :scope > input[name=pvz_door]');
        if (chosen && !(changes && 'selected' in changes)) given.selected = chosen.value;
        Object.assign(given, changes || {});
        stop();
        start();
      },
      destroy: function () {
        if (destroyed) return;
        destroyed = true;
        mounted.delete(element);
        stop();
      }
    };
    start();
    mounted.set(element, handle);
    return handle;
  }

  window.PvzWidget = { mount: mount };

  if (script && script.dataset.target) {
    var start = function () {
      var target = document.querySelector(script.dataset.target);
      if (target) mount(target, optionsFromDataset(script.dataset));
      else console.error('pvz-widget: no element matches data-target="' + script.dataset.target + '"');
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
  }
})();
