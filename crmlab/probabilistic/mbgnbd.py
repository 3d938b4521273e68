"""MBG/NBD: the BG/NBD with a dropout chance right after the first purchase too."""

from __future__ import annotations

from crmlab.probabilistic.bgnbd import BetaGeo

__all__ = ["ModifiedBetaGeo"]


class ModifiedBetaGeo(BetaGeo):
    r"""MBG/NBD model (Batislam, Denizel & Filiztekin 2007).

    The same story as :class:`BetaGeo` — purchases at Poisson rate
    :math:`\lambda \sim \text{Gamma}(r, \alpha)`, a dropout coin
    :math:`p \sim \text{Beta}(a, b)` — except that the coin is also tossed right
    after the *first* purchase. So a customer with ``x = 0`` may already be gone,
    which removes BG/NBD's claim that every one-time buyer is alive for sure
    (P(alive) = 1). The likelihood of :math:`(x, t_x, T)` is

    .. math::

        L = \frac{B(a, b+x+1)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)(\alpha+T)^{r+x}}
          + \frac{B(a+1, b+x)}{B(a, b)}
            \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)(\alpha+t_x)^{r+x}},

    i.e. BG/NBD's with ``b + x - 1`` replaced by ``b + x`` and the second term
    present for ``x = 0`` too. The predictions follow the same way:
    :math:`P(\text{alive}) = 1/[1 + \frac{a}{b+x}(\frac{\alpha+T}{\alpha+t_x})^{r+x}]`;
    the conditional expectation is BG/NBD's with ``b + 1`` in place of ``b``; a new
    customer's :math:`E[X(t)]` is the probability :math:`b/(a+b)` of surviving the
    first coin times that.

    Attributes (after ``fit``) as :class:`BetaGeo`.

    References
    ----------
    Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical validation and
    comparison of models for customer base analysis. *International Journal of
    Research in Marketing*, 24(3), 201–209. The paper's data (a Turkish grocery
    chain) are not public; on the CDNOW 1/10 sample the R package BTYDplus
    (Platzer), whose values ``lifetimes`` tests against, gives r = 0.525,
    α = 6.183, a = 0.891, b = 1.614.

    Examples
    --------
    >>> from crmlab import datasets
    >>> from crmlab.probabilistic import calibration_summary
    >>> s = calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30")
    >>> m = ModifiedBetaGeo().fit(s)
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'r': 0.525, 'alpha': 6.183, 'a': 0.891, 'b': 1.614}
    """

    _label = "MBG/NBD"
    _shift = 1
