// The configurator: the form's choices become the widget's options, shown at once in a live preview and
// written out as the snippet to paste (attributes), its JavaScript equivalent, and the line the proxy's
// configuration needs for the shop's origin. Everything is written as text, never as HTML.
(function () {
  'use strict';

  var DEFAULTS = { accent: '#0a7d4f', radius: '8' };
  var form = document.getElementById('cfg');
  var preview = document.getElementById('cfg-widget');
  var carriers = [];
  var timer = null;

  function field(name) {
    return form.elements.namedItem(name);
  }

  // A field's value; nothing for a number outside its field's range, which `checkNumbers` says beside it.
  function value(name) {
    var input = field(name);
    if (!input || (input.validity && !input.validity.valid)) return '';
    return String(input.value).trim();
  }

  // Says beside each number field whose value is out of its range what it takes, rather than leaving the
  // value out of the snippet without a word.
  function checkNumbers() {
    form.querySelectorAll('input[type=number]').forEach(function (input) {
      var note = document.getElementById(input.id + '-error');
      if (!note) {
        note = document.createElement('span');
        note.id = input.id + '-error';
        note.className = 'cfg-error';
        note.setAttribute('aria-live', 'polite');
        input.after(note);
        input.setAttribute('aria-describedby', note.id);
      }
      var bad = !input.validity.valid;
      input.setAttribute('aria-invalid', bad ? 'true' : 'false');
      var range = input.max ? 'от ' + input.min + ' до ' + input.max : 'не меньше ' + input.min;
      note.textContent = bad ? 'Нужно целое число ' + range + '; в код не попало' : '';
    });
  }

  // The widget's options for the form as it stands, in the order the snippet lists them.
  function options() {
    var mode = form.querySelector('input[name=mode]:checked').value;
    var chosen = carriers.filter(function (c) { return c.checkbox.checked; }).map(function (c) { return c.name; });
    var all = { mode: mode };
    if (chosen.length && chosen.length < carriers.length) all.carriers = chosen.join(',');
    if (mode === 'picker') {
      ['city', 'first', 'delivery', 'weight', 'dims', 'value', 'cod'].forEach(function (name) {
        if (value(name)) all[name] = value(name);
      });
    } else if (value('track')) {
      all.track = value('track');
    }
    all.lang = value('lang') || 'ru';
    if (value('theme')) all.theme = value('theme');
    if (value('accent') && value('accent').toLowerCase() !== DEFAULTS.accent) all.accent = value('accent');
    if (value('radius') !== '' && value('radius') !== DEFAULTS.radius) all.radius = value('radius');
    return all;
  }

  function attribute(text) {
    return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function snippet(all) {
    var proxy = location.origin;
    var attributes = ['data-target="#pvz"'].concat(Object.keys(all).map(function (key) {
      return 'data-' + key + '="' + attribute(all[key]) + '"';
    }));
    var lines = [];
    for (var i = 0; i < attributes.length; i += 3) lines.push('        ' + attributes.slice(i, i + 3).join(' '));
    return '<div id="pvz"></div>\n<script src="' + proxy + '/widget.js" defer\n' + lines.join('\n') + '></script>';
  }

  function javascript(all) {
    return '<div id="pvz"></div>\n<script src="' + location.origin + '/widget.js"></script>\n<script>\n' +
      '  const widget = PvzWidget.mount(document.querySelector(\'#pvz\'), ' +
      JSON.stringify(all, null, 2).replace(/\n/g, '\n  ') + ');\n' +
      '  document.querySelector(\'#pvz\').addEventListener(\'pvz:select\', (event) => console.log(event.detail));\n' +
      '  // widget.update({ weight: 3400 }) when the cart changes; widget.destroy() removes it.\n</script>';
  }

  function originLine() {
    var typed = value('origin');
    if (!typed) return 'PVZ_ALLOWED_ORIGINS=https://shop.example    # адрес вашего магазина';
    try {
      var url = new URL(/^https?:\/\//.test(typed) ? typed : 'https://' + typed);
      return 'PVZ_ALLOWED_ORIGINS=' + url.origin;
    } catch (error) {
      return '# «' + typed + '» — не адрес сайта; пример: https://shop.example';
    }
  }

  function render() {
    checkNumbers();
    var all = options();
    var mode = all.mode;
    form.querySelectorAll('[data-for]').forEach(function (part) { part.hidden = part.dataset.for !== mode; });
    document.getElementById('cfg-snippet').textContent = snippet(all);
    document.getElementById('cfg-js').textContent = javascript(all);
    document.getElementById('cfg-origin-line').textContent = originLine();
    // Mounting again on the same element replaces the widget there.
    window.PvzWidget.mount(preview, all);
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  }

  function copy(button) {
    var text = document.getElementById(button.dataset.copy).textContent;
    var said = document.getElementById('cfg-copied');
    var done = function () { said.textContent = 'Скопировано'; };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById(button.dataset.copy));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      said.textContent = document.execCommand('copy') ? 'Скопировано' : 'Выделено: нажмите Ctrl+C';
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  function carrierList(list) {
    var box = document.getElementById('cfg-carriers');
    document.getElementById('cfg-carriers-note').remove();
    carriers = list.map(function (carrier) {
      var label = document.createElement('label');
      var checkbox = document.createElement('input');
      checkbox.type = 'checkbox';
      checkbox.name = 'carrier';
      checkbox.value = carrier.name;
      checkbox.checked = true;
      label.append(checkbox, ' ' + carrier.title + ' (' + carrier.points.toLocaleString('ru-RU') + ')');
      box.append(label);
      return { name: carrier.name, checkbox: checkbox };
    });
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () { copy(button); });
  });
  fetch('/api/v1/carriers')
    .then(function (response) { return response.ok ? response.json() : []; })
    .catch(function () { return []; })
    .then(function (list) {
      carrierList(list);
      render();
    });
})();
