// The demo order page: the order the checkout has just placed (`?number=` and, once its carrier gave one,
// `?track=`), with its delivery cost (`?delivery=`, kopecks), instead of the sample order. Runs where it
// stands, before the deferred widget script reads its data-track; the rest of the page once it is parsed.
(function () {
  'use strict';
  var query = new URLSearchParams(window.location.search);
  var number = query.get('number');
  if (!number) return;
  var track = query.get('track');
  var widget = document.getElementById('tracking-widget');
  if (track) widget.setAttribute('data-track', track);
  else widget.removeAttribute('data-track');

  function roubles(kopecks) {
    var text = String(Math.floor(kopecks / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
    return (kopecks % 100 ? text + ',' + String(kopecks % 100).padStart(2, '0') : text) + '\u00a0₽';
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('order-title').textContent = 'Заказ № ' + number;
    document.title = 'Заказ № ' + number + ' — Чайная лавка';
    document.getElementById('order-parcel').textContent = track
      ? 'Отправление ' + track + '.'
      : 'Номер отправления появится, когда перевозчик примет заказ.';
    var delivery = Number(query.get('delivery'));
    if (delivery > 0) {
      var total = document.getElementById('order-total');
      document.getElementById('order-delivery').textContent = roubles(delivery);
      total.textContent = roubles(Number(total.dataset.goods) * 100 + delivery);
    }
  });
})();
