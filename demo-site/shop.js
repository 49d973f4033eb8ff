// The demo checkout's own script, as a shop would write it: the delivery line and the total follow the
// buyer's choice (pvz:select, pvz:clear), the order waits for a delivery (a pickup point or a courier to
// the door) and the buyer's details, and
// then goes to the shop's backend, which registers the parcel with its carrier and names the order's page.
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
      if (!form.querySelector('input[name=pvz_delivery]')) missing.push('способ доставки');
      event.preventDefault();
      if (missing.length) {
        error.textContent = 'Чтобы оформить заказ, укажите ' + missing.join(', ') + '.';
        (missing[0] === 'способ доставки' ? document.getElementById('pvz') : form.elements[missing[0] === 'имя' ? 'name' : 'phone']).scrollIntoView({ block: 'center' });
        return;
      }
      place();
    });

    // The backend's field names, in the buyer's words.
    var FIELDS = { 'recipient.phone': 'Проверьте номер телефона.', 'recipient.name': 'Проверьте имя.', point_id: 'Этот пункт выдачи больше не работает: выберите другой.', parcel: 'Этот пункт выдачи не примет посылку: выберите другой.', door: 'Курьер не привезёт посылку по этому адресу: выберите другой адрес или пункт выдачи.' };

    // A hidden input the widget wrote, or nothing.
    function value(name) {
      var input = form.querySelector('input[name=' + name + ']');
      return input ? input.value : '';
    }

    function place() {
      var button = form.querySelector('[type=submit]');
      button.disabled = true;
      button.textContent = 'Оформляем…';
      error.textContent = '';
      fetch('/demo-shop/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: form.elements.name.value,
          phone: form.elements.phone.value,
          pvz_point_id: value('pvz_point_id'),
          pvz_door: value('pvz_door'),
        }),
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            window.location.assign(body.order_page);
            return;
          }
          var message = body.error ? body.error.message : '';
          var field = Object.keys(FIELDS).find(function (f) { return message.indexOf(f + ':') === 0; });
          throw new Error(field ? FIELDS[field] : 'Не удалось оформить заказ: ' + message);
        });
      }).catch(function (failure) {
        error.textContent = failure.message.indexOf('Failed to fetch') >= 0 ? 'Нет связи с магазином: попробуйте ещё раз.' : failure.message;
        button.disabled = false;
        button.textContent = 'Оформить заказ';
      });
    }
  });
})();
