# rows/s per tool (median, with min–max bars) on a log scale: gnuplot -e "data='…'; out='…'; rows='…'" plot.gp
set terminal pngcairo size 1200,560 font ",10"
set bmargin 5  # two-line tool names
set output out
set title sprintf("smart-meter job, %s rows: rows/s per tool (median, min-max)", rows)
set logscale y
set format y "%.0s%c"
set ylabel "rows/s (log scale)"
set grid ytics
set style fill solid 0.6 border -1
set boxwidth 0.6
set xtics nomirror
set key off
set yrange [*:*]
set offsets 0.5, 0.5, 0, 0
plot data using 1:3:xtic(2) with boxes lc rgb "#4477aa", \
     data using 1:3:4:5 with yerrorbars lc rgb "black" pt 0, \
     data using 1:($3 * 1.3):(sprintf("%.0f", $3)) with labels
