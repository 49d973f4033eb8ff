// The demo checkout's own script, as a shop would write it: the delivery line and the total follow the
// buyer's choice (pvz:select, pvz:clear), and the order waits for a pickup point and the buyer's details.
(function () {
  'use strict';

  function roubles(amount) {
    var whole = Math.floor(amount);
    var kopecks = Math.round((amount - whole) * 100);
    var text = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
    return (kopecks ? text + ',' + String(kopecks).padStart(2, '0') : text) + '\u00a0₽';
  }

  function days(min, max) {
    var last = max % 10 === 1 && max % 100 !== 11 ? 'день' : (max % 10 >= 2 && max % 10 <= 4 && (max % 100 < 12 || max % 100 > 14) ? 'дня' : 'дней');
    return (min === max ? String(min) : min + '–' + max) + '\u00a0' + last;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('checkout');
    var line = document.getElementById('delivery-line');
    var total = document.getElementById('total');
    var error = document.getElementById('checkout-error');
    var goods = Number(total.dataset.goods);

    function show(quote) {
      var delivery = quote ? quote.cost.kopecks / 100 : 0;
      line.hidden = !quote;
      if (quote) {
        document.getElementById('delivery-cost').textContent = roubles(delivery);
        document.getElementById('delivery-days').textContent = days(quote.days.min, quote.days.max);
      }
      total.textContent = roubles(goods + delivery);
    }

    form.addEventListener('pvz:select', function (event) {
      error.textContent = '';
      show(event.detail.quote);
    });
    form.addEventListener('pvz:clear', function () { show(null); });
    form.addEventListener('submit', function (event) {
      var missing = [];
      if (!form.elements.name.value.trim()) missing.push('имя');
      if (!form.elements.phone.value.trim()) missing.push('телефон');
      if (!form.querySelector('input[name=pvz_point_id]')) missing.push('пункт выдачи');
      if (missing.length) {
        event.preventDefault();
        error.textContent = 'Чтобы оформить заказ, укажите ' + missing.join(', ') + '.';
        (missing[0] === 'пункт выдачи' ? document.getElementById('pvz') : form.elements[missing[0] === 'имя' ? 'name' : 'phone']).scrollIntoView({ block: 'center' });
      }
    });
  });
})();
