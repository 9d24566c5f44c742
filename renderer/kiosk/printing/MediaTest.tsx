// A live test of the camera and the microphone for the health panel: the picture and a level meter, stopped on demand.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PrintIcon } from './icons.js';

export function MediaTest() {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [level, setLevel] = useState(0);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!stream) return;
    if (video.current) video.current.srcObject = stream;
    let frame = 0;
    let context: AudioContext | null = null;
    if (stream.getAudioTracks().length > 0 && typeof AudioContext !== 'undefined') {
      context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      context.createMediaStreamSource(stream).connect(analyser);
      const data = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
        setLevel(Math.min(100, Math.round((peak / 128) * 100)));
        frame = requestAnimationFrame(tick);
      };
      tick();
    }
    return () => {
      cancelAnimationFrame(frame);
      void context?.close();
      for (const track of stream.getTracks()) track.stop();
    };
  }, [stream]);

  const start = async () => {
    setFailed(false);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
    } catch {
      setFailed(true);
    }
  };

  return (
    <div>
      {stream ? (
        <>
          <video ref={video} className="media-preview" autoPlay muted playsInline aria-label={t('health.preview')} data-testid="media-preview" />
          <label>
            {t('health.level')}
            <meter className="level-meter" min={0} max={100} value={level} data-testid="level-meter" />
          </label>
          <button type="button" className="button" onClick={() => setStream(null)}>
            {t('health.stopTest')}
          </button>
        </>
      ) : (
        <button type="button" className="button" onClick={() => void start()}>
          <PrintIcon name="camera" />
          {t('health.mediaTest')}
        </button>
      )}
      {failed && (
        <p role="alert" className="error">
          {t('health.mediaError')}
        </p>
      )}
    </div>
  );
}
