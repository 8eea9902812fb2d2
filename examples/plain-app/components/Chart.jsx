'use client';
import dynamic from 'next/dynamic';

// Loaded in the browser after hydration: its chunk is fetched after the load event.
const Heavy = dynamic(() => import('./Heavy'), { ssr: false, loading: () => <p>loading…</p> });

export default function Chart() {
  return <Heavy />;
}
