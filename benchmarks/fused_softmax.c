/* A design study for issue 12, not used by the engine: the softmax passes of one
 * full-batch step of G models, fused per model while its (C, N) scores are in cache.
 *
 * S holds the scores (G, C, N), class-major like softmax_engine.objective; on return it
 * holds (q - onehot(y)) / N, ready for the gradient product, and data_loss[g] the mean
 * cross-entropy of model g. onehot_mean is onehot(y) / N, (C, N). work holds 2 N doubles.
 * hits, unless NULL, gets per model the samples whose true class attains the maximum
 * score (argmax's answer but for exact ties, which random starts do not produce).
 *
 * exp and log are glibc's vector versions (libmvec), which gcc calls for the simd loops
 * below once they are declared simd: the same accuracy class as numpy's (< 4 ulp).
 */
#pragma omp declare simd notinbranch
double exp(double);
#pragma omp declare simd notinbranch
double log(double);

void fused_softmax(double *S, const double *onehot_mean, long G, long C, long N,
                   double *data_loss, double *work, long *hits)
{
    double *m = work, *t = work + N;
    const double inv_n = 1.0 / (double)N;
    for (long g = 0; g < G; g++) {
        double *Sg = S + g * C * N;
        #pragma omp simd
        for (long n = 0; n < N; n++) {
            m[n] = Sg[n];
            t[n] = 0.0;
        }
        for (long c = 1; c < C; c++) {
            const double *row = Sg + c * N;
            #pragma omp simd
            for (long n = 0; n < N; n++)
                m[n] = row[n] > m[n] ? row[n] : m[n];
        }
        double true_mean = 0.0;
        long hit = 0;
        for (long c = 0; c < C; c++) {
            double *row = Sg + c * N;
            const double *oh = onehot_mean + c * N;
            double acc = 0.0;
            #pragma omp simd reduction(+:acc, hit)
            for (long n = 0; n < N; n++) {
                const double s = row[n] - m[n];  /* shifted: exp cannot overflow */
                acc += s * oh[n];
                hit += (oh[n] > 0.0) & (s == 0.0);
                row[n] = s;
            }
            /* exp alone in its loop: a vector call inside the loop above spills its sums */
            #pragma omp simd
            for (long n = 0; n < N; n++)
                row[n] = exp(row[n]);
            #pragma omp simd
            for (long n = 0; n < N; n++)
                t[n] += row[n];
            true_mean += acc;
        }
        if (hits)
            hits[g] = hit;
        double log_total = 0.0;
        #pragma omp simd reduction(+:log_total)
        for (long n = 0; n < N; n++) {
            log_total += log(t[n]);  /* log-softmax: never log(0) */
            t[n] = inv_n / t[n];
        }
        data_loss[g] = log_total * inv_n - true_mean;
        for (long c = 0; c < C; c++) {
            double *row = Sg + c * N;
            const double *oh = onehot_mean + c * N;
            #pragma omp simd
            for (long n = 0; n < N; n++)
                row[n] = row[n] * t[n] - oh[n];
        }
    }
}

/* One gradient-descent step of every model, regularization gradient included, in one pass:
 * theta[g] -= lr[g] * (grad[g] + 2 reg[g] [W_g, 0]); theta and grad are (G, C, D1), the
 * last column the bias (not regularized). */
void sgd_step(double *theta, const double *grad, const double *lr, const double *two_reg,
              long G, long C, long D1)
{
    for (long g = 0; g < G; g++) {
        const double a = lr[g], r = two_reg[g];
        for (long c = 0; c < C; c++) {
            double *th = theta + (g * C + c) * D1;
            const double *gr = grad + (g * C + c) * D1;
            const double bias = th[D1 - 1] - a * gr[D1 - 1];
            #pragma omp simd
            for (long d = 0; d < D1; d++)
                th[d] -= a * (gr[d] + r * th[d]);
            th[D1 - 1] = bias;
        }
    }
}
