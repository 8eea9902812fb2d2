'use client';
import styles from './Heavy.module.css';

export default function Heavy() {
  const bars = [3, 5, 2, 8, 4];
  return (
    <div className={styles.chart}>
      {bars.map((b, i) => <span key={i} style={{ height: `${b}rem` }} />)}
    </div>
  );
}
